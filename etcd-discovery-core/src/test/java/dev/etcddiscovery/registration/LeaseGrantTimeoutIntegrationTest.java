package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Arrays;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lease grant that outlives our request timeout is not lost: gRPC keeps the call open while etcd is unreachable and
 * etcd grants the lease once it is back. Each abandoned attempt must revoke what it later yields, or an outage leaves
 * one orphaned lease per retry.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class LeaseGrantTimeoutIntegrationTest {

    @Test
    void grantsThatTimedOutWhileEtcdWasDownLeaveNoLeaseBehind(EtcdCluster etcd) throws InterruptedException {
        etcd.stop();
        // a long TTL keeps orphans around long enough to be counted
        try (Client client = etcd.client();
                EtcdServiceRegistry registry = EtcdServiceRegistry.builder(client)
                    .requestTimeout(Duration.ofMillis(500))
                    .defaultTtl(Duration.ofSeconds(60))
                    .maxRetryBackoff(Duration.ofSeconds(1))
                    .build()) {
            RegistrationHandle handle = registry.register("svc-orphans", "127.0.0.1:7300", null);
            // a 5 s outage: several attempts time out against the stopped etcd
            Thread.sleep(5000);
            etcd.restart();
            await().atMost(Duration.ofSeconds(30))
                .until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);

            long lease = handle.snapshot().leaseId();
            await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(leases(etcd)).containsExactly(lease));
        }
    }

    /** The leases {@code etcdctl lease list} shows. */
    private static long[] leases(EtcdCluster etcd) {
        return Arrays.stream(etcd.etcdctl("lease", "list").split("\\R"))
            .map(String::strip)
            .filter((line) -> !line.isEmpty() && !line.startsWith("found"))
            .mapToLong((hex) -> Long.parseUnsignedLong(hex, 16))
            .toArray();
    }
}
