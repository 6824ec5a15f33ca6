package dev.etcddiscovery.sample.failure;

import java.time.Duration;
import java.util.List;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failure suite of sample-app, one run of each scenario, against the Boot 4.1 line: two greeter servers
 * (TTL 3 s) and a client calling all along, shared by the tests because each JVM takes seconds to start. Each test
 * starts from a healthy fleet and ends with no failed call since then. The helpers (ContinuousClient,
 * GreeterServers, GreeterKeys, CallLog, FleetChecks, SampleProcess) are sample-app's, from its test-jar.
 */
@EtcdTest
@TestMethodOrder(MethodOrderer.MethodName.class)
class SpringGrpcFailuresIT {

    private static final Duration TTL = Duration.ofSeconds(GreeterServers.TTL_SECONDS);

    private static final Duration FIRST_START = Duration.ofMinutes(3);

    private static GreeterServers servers;

    private static ContinuousClient client;

    private static FleetChecks fleet;

    private long mark;

    @BeforeAll
    static void startFleet(EtcdCluster etcd) throws Exception {
        servers = new GreeterServers();
        client = ContinuousClient.start(etcd.endpointList());
        servers.start(etcd.endpointList(), etcd.endpointList());
        fleet = new FleetChecks(servers, client);
        // JVMs start slowly on a loaded machine: give the first start more than the helpers' per-step deadline
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            await().atMost(FIRST_START)
                .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(servers.instances()));
        }
        await().atMost(FIRST_START).until(() -> client.calls().last() > 0);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        try {
            client.close();
        }
        finally {
            servers.close();
        }
    }

    @BeforeEach
    void awaitHealthyFleet() {
        this.mark = client.awaitAnsweredBy(servers.instances());
    }

    @Test
    void etcdKilledAndRestartedFailsNoCallAndKeepsRegistrations(EtcdCluster etcd) throws Exception {
        fleet.etcdKilledAndRestartedFailsNoCallAndKeepsRegistrations(etcd, Duration.ofSeconds(10), this.mark);
    }

    @Test
    void etcdWipedGetsRegistrationsBackWithinTheTtlAndFailsNoCall(EtcdCluster etcd) throws Exception {
        etcd.wipe();
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            await().atMost(TTL.multipliedBy(3))
                .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(servers.instances()));
        }
        client.awaitAnsweredBy(servers.instances());
        client.awaitMoreCalls(50);
        fleet.assertNoFailureSince(this.mark);
    }

    /**
     * As an orchestrator does it: a replacement starts on a new port while the old instance gets SIGTERM, and the
     * next one only goes once the replacement is registered and answering.
     */
    @Test
    void rollingRestartOfBothServersFailsNoCall(EtcdCluster etcd) throws Exception {
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            for (String old : List.copyOf(servers.instances())) {
                String replacement = servers.start(etcd.endpointList()).get(0);
                servers.stop(old);
                assertThat(keys.leases()).as("keys once %s exited", old).doesNotContainKey(old);
                await().atMost(FIRST_START).untilAsserted(() -> assertThat(keys.leases()).containsKey(replacement));
                client.awaitAnsweredBy(List.of(replacement));
                await().atMost(ContinuousClient.GENEROUS)
                    .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(servers.instances()));
            }
        }
        client.awaitMoreCalls(50);
        fleet.assertNoFailureSince(this.mark);
    }
}
