package dev.etcddiscovery.resolver;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A healthy watch costs etcd nothing, whatever gRPC does: gRPC asks the resolver to refresh on every reconnect
 * attempt of a subchannel, which here is a lease-less key pointing at a closed port, common in real fleets. etcd's
 * own counters of Range and Watch calls, watch streams and watchers must not move meanwhile.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class QuietRefreshTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static final int REFRESHES = 4;

    @Test
    void reconnectsToADeadEndpointNeitherListNorWatchAgainNorLog(EtcdCluster etcd) throws Exception {
        try (Client client = etcd.client();
                PortServer live = PortServer.start(); EtcdChannels channels = new EtcdChannels(client, "", null)) {
            put(client, "quiet/live", "{\"Addr\":\"127.0.0.1:" + live.port() + "\"}");
            put(client, "quiet/dead", "{\"Addr\":\"127.0.0.1:" + closedPort() + "\"}");
            RefreshCountingProvider counting = new RefreshCountingProvider(channels.provider());
            NameResolverRegistry.getDefaultRegistry().register(counting);
            try (LogCapture log = new LogCapture()) {
                ManagedChannel channel = channels.channel(RefreshCountingProvider.SCHEME + ":///quiet");
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(live.port()));
                await().atMost(DEADLINE).until(() -> channels.snapshot("quiet/").healthy());
                // gRPC has tried the dead endpoint at least once: the watch is as it will stay
                await().atMost(DEADLINE).until(() -> counting.refreshes.get() > 0);

                EtcdMetrics before = etcd.members().get(0).metrics();
                int refreshesBefore = counting.refreshes.get();
                log.clear();
                await().atMost(DEADLINE).until(() -> counting.refreshes.get() >= refreshesBefore + REFRESHES);
                EtcdMetrics after = etcd.members().get(0).metrics();

                System.out.printf("etcd /metrics over %d gRPC refreshes: before %s, after %s%n",
                        counting.refreshes.get() - refreshesBefore, before, after);
                assertThat(load(after)).isEqualTo(load(before));
                assertThat(log.atLeast(Level.INFO)).isEmpty();
                assertThat(channels.snapshot("quiet/").watchRestarts()).isZero();
                assertThat(PortServer.call(channel)).isEqualTo(live.port());
            }
            finally {
                NameResolverRegistry.getDefaultRegistry().deregister(counting);
            }
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** What the resolver may cost etcd: watch streams and watchers, Range and Watch calls. */
    private static List<Object> load(EtcdMetrics metrics) {
        return List.of(metrics.watches(), metrics.started("etcdserverpb.KV", "Range"),
                metrics.started("etcdserverpb.Watch", "Watch"));
    }

    private static void put(Client client, String key, String value) throws Exception {
        client.getKVClient()
            .put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value, StandardCharsets.UTF_8))
            .get(10, TimeUnit.SECONDS);
    }
}
