package dev.etcddiscovery.sample.failure;

import java.time.Duration;

import dev.etcddiscovery.test.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenarios and checks on a running fleet (greeter servers and a client calling all along) that the failure suites
 * of both lines share (sample-app-spring-grpc uses it from sample-app's test-jar).
 */
final class FleetChecks {

    private static final Duration TTL = Duration.ofSeconds(GreeterServers.TTL_SECONDS);

    private final GreeterServers servers;

    private final ContinuousClient client;

    FleetChecks(GreeterServers servers, ContinuousClient client) {
        this.servers = servers;
        this.client = client;
    }

    /**
     * Kills etcd while the client calls, restarts it, and checks that the servers' keys are back within
     * {@code keysBackWithin} and kept alive beyond their TTL, that none was deleted meanwhile, and that no call failed
     * since {@code mark}.
     */
    void etcdKilledAndRestartedFailsNoCallAndKeepsRegistrations(EtcdCluster etcd, Duration keysBackWithin, long mark)
            throws Exception {
        long revision;
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            revision = keys.revision();
        }
        etcd.kill();
        try {
            this.client.awaitMoreCalls(25);
        }
        finally {
            etcd.restart();
        }
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            await().atMost(keysBackWithin)
                .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(this.servers.instances()));
            // kept alive, not just restored: the keys outlive their TTL
            await().during(TTL.plusSeconds(1))
                .atMost(TTL.multipliedBy(4))
                .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(this.servers.instances()));
            assertThat(keys.deletedSince(revision)).as("registrations deleted while etcd restarted").isEmpty();
        }
        this.client.awaitMoreCalls(50);
        assertNoFailureSince(mark);
    }

    /** No call failed since {@code mark}, there were calls, and the last ones reached every server. */
    void assertNoFailureSince(long mark) {
        CallLog window = this.client.calls().after(mark);
        assertThat(window.failures()).as("failed calls; client output in %s, servers' in %s", this.client.outputFile(),
                this.servers.outputFiles()).isEmpty();
        assertThat(window.size()).isPositive();
        assertThat(this.client.calls().lastCalls(25).instances()).as("instances answering the last calls")
            .isEqualTo(this.servers.instances());
    }
}
