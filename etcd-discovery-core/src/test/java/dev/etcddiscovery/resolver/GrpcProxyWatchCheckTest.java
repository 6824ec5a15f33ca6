package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.List;

import dev.etcddiscovery.jetcd.MultiplexedWatch;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdGrpcProxy;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resolution through etcd's gRPC proxy, which does not answer progress requests: a healthy watch must not be taken
 * for silent and replaced by a new list and watch every check interval (issue 25), and a watch that really goes
 * silent, the proxy's own link to etcd frozen, must still be replaced.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class GrpcProxyWatchCheckTest {

    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    /** Check intervals a healthy watch lives through while etcd's counters are watched. */
    private static final int CHECKS = 4;

    private final EtcdCluster etcd;

    GrpcProxyWatchCheckTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void aHealthyWatchThroughTheProxyCostsEtcdNoRangeAndNoWatch() throws Exception {
        this.etcd.etcdctl("put", "quiet-fleet/127.0.0.1:1", "{\"Addr\":\"127.0.0.1:1\"}");
        this.etcd.etcdctl("put", "quiet-fleet/127.0.0.1:2", "{\"Addr\":\"127.0.0.1:2\"}");
        try (EtcdGrpcProxy proxy = this.etcd.grpcProxy(); Client client = proxy.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(client); ServiceDirectory directory = directory(client, watch);
                FollowedPrefix followed = directory.follow("quiet-fleet/", (endpoints) -> {
                })) {
            await().atMost(DEADLINE).until(() -> followed.endpoints().size() == 2 && snapshot(directory).healthy());

            EtcdMetrics before = this.etcd.members().get(0).metrics();
            // the watch has lived through CHECKS check intervals once etcd answered that many probes of its link;
            // on a watch that is taken for silent, the first new list ends the wait
            await().atMost(DEADLINE).until(() -> {
                EtcdMetrics now = this.etcd.members().get(0).metrics();
                return status(now) >= status(before) + CHECKS || range(now) > range(before);
            });
            EtcdMetrics after = this.etcd.members().get(0).metrics();

            System.out.printf("etcd behind a grpc-proxy, %d s check: before %s, after %s, Status calls %d -> %d%n",
                    CHECK_INTERVAL.toSeconds(), before, after, status(before), status(after));
            assertThat(load(after)).isEqualTo(load(before));
            assertThat(snapshot(directory).watchRestarts()).isZero();
        }
    }

    @Test
    void aWatchWhoseProxyLostItsLinkToEtcdIsReplaced() throws Exception {
        this.etcd.etcdctl("put", "cut-fleet/127.0.0.1:1", "{\"Addr\":\"127.0.0.1:1\"}");
        try (EtcdProxy link = EtcdProxy.inFrontOf(this.etcd.members().get(0));
                EtcdGrpcProxy proxy = EtcdGrpcProxy.inFrontOf(link); Client client = proxy.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(client); ServiceDirectory directory = directory(client, watch);
                FollowedPrefix followed = directory.follow("cut-fleet/", (endpoints) -> {
                })) {
            await().atMost(DEADLINE).until(() -> followed.endpoints().size() == 1 && snapshot(directory).healthy());

            // the grpc-proxy keeps its connection to etcd and its watch, but nothing passes any more
            link.freeze();
            await().atMost(DEADLINE).until(() -> snapshot(directory).watchRestarts() > 0);
            assertThat(snapshot(directory).healthy()).isFalse();
            assertThat(followed.endpoints()).hasSize(1);

            link.thaw();
            this.etcd.etcdctl("put", "cut-fleet/127.0.0.1:2", "{\"Addr\":\"127.0.0.1:2\"}");
            await().atMost(DEADLINE).until(() -> followed.endpoints().size() == 2 && snapshot(directory).healthy());
        }
    }

    @Test
    void aWatchThroughAKilledProxyIsReplacedOnceItIsBack() throws Exception {
        this.etcd.etcdctl("put", "restarted-fleet/127.0.0.1:1", "{\"Addr\":\"127.0.0.1:1\"}");
        try (EtcdGrpcProxy proxy = this.etcd.grpcProxy(); Client client = proxy.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(client); ServiceDirectory directory = directory(client, watch);
                FollowedPrefix followed = directory.follow("restarted-fleet/", (endpoints) -> {
                })) {
            await().atMost(DEADLINE).until(() -> followed.endpoints().size() == 1 && snapshot(directory).healthy());

            proxy.kill();
            this.etcd.etcdctl("put", "restarted-fleet/127.0.0.1:2", "{\"Addr\":\"127.0.0.1:2\"}");
            proxy.restart();
            await().atMost(DEADLINE).until(() -> followed.endpoints().size() == 2 && snapshot(directory).healthy());
            assertThat(snapshot(directory).watchRestarts()).isPositive();
        }
    }

    private static ServiceDirectory directory(Client client, Watch watch) {
        return ServiceDirectory.builder(client)
            .watchSource(watch)
            .watchCheckInterval(CHECK_INTERVAL)
            .requestTimeout(Duration.ofSeconds(2))
            .maxRetryBackoff(Duration.ofSeconds(1))
            .build();
    }

    private static WatchSnapshot snapshot(ServiceDirectory directory) {
        return directory.snapshots().get(0);
    }

    private static long status(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.Maintenance", "Status");
    }

    private static long range(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.KV", "Range");
    }

    /** What a healthy watch may not cost etcd: Range and Watch calls, watch streams and watchers. */
    private static List<Object> load(EtcdMetrics metrics) {
        return List.of(metrics.watches(), range(metrics), metrics.started("etcdserverpb.Watch", "Watch"));
    }
}
