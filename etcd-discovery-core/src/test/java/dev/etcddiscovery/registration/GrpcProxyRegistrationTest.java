package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.jetcd.MultiplexedWatch;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdGrpcProxy;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registration through etcd's gRPC proxy, which coalesces lease keep-alives and watches: the lease lives on its
 * keep-alives at no Range and no new watch on etcd (the own-key guard's watch is vouched for by status requests, as
 * the proxy answers no progress request), the own-key guard puts back a key deleted on etcd itself, also while the
 * proxy was down, and a lease revoked on etcd is granted again.
 */
@EtcdTest
@Tag("slow")
class GrpcProxyRegistrationTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final EtcdCluster etcd;

    GrpcProxyRegistrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void aRegistrationThroughTheProxyKeepsItsLeaseAndItsKey() throws Exception {
        try (EtcdGrpcProxy proxy = this.etcd.grpcProxy(); Client client = proxy.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(client);
                EtcdServiceRegistry registry = registry(client, watch, TTL)) {
            RegistrationHandle handle = registry.register("proxied-svc", "127.0.0.1:7301", null);
            await().atMost(DEADLINE).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
            long lease = handle.snapshot().leaseId();

            // a delete on etcd itself reaches the guard's watch through the proxy: from here on, the watch is in place
            this.etcd.etcdctl("del", handle.key());
            await().atMost(DEADLINE).until(() -> value(handle.key()).contains("127.0.0.1:7301"));
            assertThat(handle.snapshot().leaseRegrants()).isZero();

            // keep-alives through the proxy hold the lease over several TTLs, and the guard's watch costs etcd nothing
            EtcdMetrics before = this.etcd.members().get(0).metrics();
            await().during(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(4))
                .until(() -> handle.snapshot().leaseId() == lease && handle.snapshot().keepAliveFailures() == 0);
            EtcdMetrics after = this.etcd.members().get(0).metrics();
            System.out.printf("etcd behind a grpc-proxy, registration over 3 TTLs of %d s: before %s, after %s%n",
                    TTL.toSeconds(), before, after);
            assertThat(range(after)).isEqualTo(range(before));
            assertThat(watch(after)).isEqualTo(watch(before));
            assertThat(value(handle.key())).contains("127.0.0.1:7301");

            this.etcd.etcdctl("lease", "revoke", handle.snapshot().leaseIdHex());
            await().atMost(DEADLINE).until(() -> handle.snapshot().leaseRegrants() == 1
                    && handle.snapshot().state() == RegistrationState.REGISTERED && value(handle.key()).contains("7301"));
        }
    }

    /**
     * A proxy killed ends the guard's watch; once the proxy is back, the guard reads the key, puts back a key deleted
     * meanwhile and watches again, under the same lease (a TTL long enough to outlive the restart).
     */
    @Test
    void aKeyDeletedWhileTheProxyWasDownIsPutBackOnceItIsBack() throws Exception {
        try (EtcdGrpcProxy proxy = this.etcd.grpcProxy(); Client client = proxy.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(client);
                EtcdServiceRegistry registry = registry(client, watch, Duration.ofSeconds(10))) {
            LeasedEndpoint handle = (LeasedEndpoint) registry.register("restarted-svc", "127.0.0.1:7302", null);
            await().atMost(DEADLINE).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
            long lease = handle.snapshot().leaseId();

            proxy.kill();
            this.etcd.etcdctl("del", handle.key());
            proxy.restart();

            await().atMost(DEADLINE).until(() -> value(handle.key()).contains("127.0.0.1:7302")
                    && handle.keyWatchesStarted() == 2);
            assertThat(handle.snapshot().leaseId()).isEqualTo(lease);
            assertThat(handle.snapshot().leaseRegrants()).isZero();
        }
    }

    private static EtcdServiceRegistry registry(Client client, Watch watch, Duration ttl) {
        return EtcdServiceRegistry.builder(client)
            .keyWatchSource(watch)
            .requestTimeout(Duration.ofSeconds(2))
            .defaultTtl(ttl)
            .maxRetryBackoff(Duration.ofSeconds(1))
            .build();
    }

    private static long range(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.KV", "Range");
    }

    private static long watch(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.Watch", "Watch");
    }

    private String value(String key) {
        return this.etcd.etcdctl("get", key, "--print-value-only");
    }
}
