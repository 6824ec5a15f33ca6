package dev.etcddiscovery.sample.failure;

import java.util.List;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart of three greeter servers, as an orchestrator does it: one at a time, a replacement is started on
 * a new port while the old instance gets SIGTERM, and the next one only goes once the replacement is registered and
 * answering. A client calling all along sees no failed call.
 */
@EtcdTest
class RollingRestartIT {

    @Test
    void rollingRestartOfThreeServersFailsNoCall(EtcdCluster etcd) throws Exception {
        try (GreeterKeys keys = GreeterKeys.open(etcd);
                GreeterServers servers = new GreeterServers();
                ContinuousClient client = ContinuousClient.start(etcd.endpointList())) {
            List<String> initial = servers.start(etcd.endpointList(), etcd.endpointList(), etcd.endpointList());
            long mark = client.awaitAnsweredBy(initial, ContinuousClient.STARTUP);

            for (String old : initial) {
                String replacement = servers.start(etcd.endpointList()).get(0);
                servers.stop(old);
                assertThat(keys.leases()).as("keys once %s exited", old).doesNotContainKey(old);
                client.awaitAnsweredBy(List.of(replacement), ContinuousClient.STARTUP);
                await().atMost(ContinuousClient.GENEROUS)
                    .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(servers.instances()));
            }
            client.awaitMoreCalls(50);

            CallLog window = client.calls().after(mark);
            assertThat(window.failures()).as("failed calls during the rolling restart; client output in %s",
                    client.outputFile()).isEmpty();
            assertThat(window.size()).isGreaterThan(100);
            assertThat(client.calls().lastCalls(50).instances()).as("instances answering at the end")
                .isEqualTo(servers.instances());
        }
    }
}
