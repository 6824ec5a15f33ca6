package dev.etcddiscovery.sample.failure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 3-member etcd loses its leader (SIGKILL) while two servers are registered and a client calls: no call fails and
 * no registration is deleted, before, during or after the election.
 */
@EtcdTest(members = 3)
class LeaderFailoverIT {

    @Test
    void leaderKilledDuringCallsFailsNoCallAndLosesNoRegistration(EtcdCluster etcd) throws Exception {
        try (GreeterKeys keys = GreeterKeys.open(etcd);
                GreeterServers servers = new GreeterServers();
                ContinuousClient client = ContinuousClient.start(etcd.endpointList())) {
            List<String> instances = servers.start(etcd.endpointList(), etcd.endpointList());
            await().atMost(ContinuousClient.STARTUP)
                .untilAsserted(() -> assertThat(keys.leases().keySet()).containsExactlyInAnyOrderElementsOf(instances));
            long mark = client.awaitAnsweredBy(instances, ContinuousClient.STARTUP);
            long revision = keys.revision();

            EtcdMember leader = etcd.leader();
            etcd.kill(leader);
            EtcdMember newLeader = etcd.leader();
            assertThat(newLeader).isNotSameAs(leader);

            // the keys outlive their TTL after the election: kept alive through the new leader
            await().during(GreeterServers.TTL_SECONDS + 1, TimeUnit.SECONDS)
                .atMost(GreeterServers.TTL_SECONDS * 4L, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(Set.copyOf(instances)));
            assertThat(keys.deletedSince(revision)).as("registrations deleted around the election").isEmpty();
            client.awaitMoreCalls(50);

            CallLog window = client.calls().after(mark);
            assertThat(window.failures()).as("failed calls; client output in %s", client.outputFile()).isEmpty();
            assertThat(client.calls().lastCalls(25).instances()).isEqualTo(Set.copyOf(instances));
        }
    }
}
