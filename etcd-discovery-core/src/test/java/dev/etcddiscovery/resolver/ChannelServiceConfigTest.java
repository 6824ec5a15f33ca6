package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.resolver.EtcdNameResolverIntegrationTest.assertFailsForEmptyService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channel's own configuration applies to etcd:/// targets: the resolver hands out no service config of its own
 * while a service has endpoints, so the channel's default service config (here a retry policy) is used.
 */
@EtcdTest
@Tag("library-versions")
class ChannelServiceConfigTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Retries a call of test.Port that failed UNAVAILABLE once, and picks round robin. */
    private static final Map<String, Object> RETRY_ONCE = Map.of(
            "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
            "methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", "test.Port")),
                    "retryPolicy", Map.of(
                            "maxAttempts", 2.0,
                            "initialBackoff", "0.1s",
                            "maxBackoff", "1s",
                            "backoffMultiplier", 2.0,
                            "retryableStatusCodes", List.of("UNAVAILABLE")))));

    private static Client client;

    @BeforeAll
    static void connect(EtcdCluster etcd) {
        client = etcd.client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void theChannelsRetryPolicyTurnsAFailedFirstAttemptIntoASuccess() throws Exception {
        try (PortServer server = PortServer.start(); EtcdChannels channels = new EtcdChannels(client, "", null)) {
            put("retried/a", server);
            ManagedChannel channel = channels.channel(NettyChannelBuilder.forTarget("etcd:///retried")
                .defaultServiceConfig(RETRY_ONCE)
                .enableRetry());
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(server.port()));

            server.failNextCall();
            assertThat(PortServer.call(channel)).isEqualTo(server.port());
        }
    }

    @Test
    void aServiceThatLostEveryKeyFailsFastAndGetsTheChannelsConfigBackWithItsEndpoints() throws Exception {
        try (PortServer server = PortServer.start(); EtcdChannels channels = new EtcdChannels(client, "", null)) {
            put("emptied/a", server);
            ManagedChannel channel = channels.channel(NettyChannelBuilder.forTarget("etcd:///emptied")
                .defaultServiceConfig(RETRY_ONCE)
                .enableRetry());
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(server.port()));

            delete("emptied/a");
            await().atMost(DEADLINE).untilAsserted(() -> assertFailsForEmptyService(channel, "emptied/"));

            put("emptied/a", server);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(server.port()));
            server.failNextCall();
            assertThat(PortServer.call(channel)).isEqualTo(server.port());
        }
    }

    private static void put(String key, PortServer server) throws Exception {
        client.getKVClient()
            .put(bytes(key), bytes("{\"Addr\":\"127.0.0.1:" + server.port() + "\"}"))
            .get(10, TimeUnit.SECONDS);
    }

    private static void delete(String key) throws Exception {
        client.getKVClient().delete(bytes(key)).get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
