package dev.etcddiscovery.boot3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationHandle;
import dev.etcddiscovery.registration.RegistrationState;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.resolver.WatchSnapshot;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications live through a long etcd outage, long enough for gRPC's own reconnect backoff under jetcd to grow
 * past 15 s: a client, whose watch lived through the outage, and a server, started during the outage.
 * Once etcd is healthy again, the server's registration and the client's watch must catch up within
 * {@code max-retry-backoff} + 1 s, as README promises. Each application has its own jetcd client, as in production, so
 * without the reconnect pacing both would have to be lucky with gRPC's backoff for this to pass.
 */
@EtcdTest
@Tag("slow")
class LongOutageRecoveryIntegrationTest {

    private static final Logger logger = LoggerFactory.getLogger(LongOutageRecoveryIntegrationTest.class);

    /**
     * gRPC's reconnect attempts (1 s × 1.6ⁿ, ±20 % jitter) fall at about 16 s, 26 s and 43 s into the outage: etcd
     * back after 30 s lands in the 17 s gap, so without the pacing the next attempt would typically come 10 s or more
     * later, well past the promise. (A 60 s outage lands in the 27 s gap after 43 s: no more discerning, 30 s
     * slower.)
     */
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(2);

    private static final Duration PROMISED = MAX_RETRY_BACKOFF.plusSeconds(1);

    private final EtcdCluster etcd;

    private final ApplicationContextRunner clientApp;

    private final ApplicationContextRunner serverApp;

    LongOutageRecoveryIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        String[] properties = { "etcd.discovery.endpoints=" + etcd.endpointList(),
                "etcd.discovery.max-retry-backoff=" + MAX_RETRY_BACKOFF.toSeconds() + "s" };
        this.clientApp = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdResolverAutoConfiguration.class))
            .withPropertyValues(properties);
        this.serverApp = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdRegistrationAutoConfiguration.class))
            .withPropertyValues(properties);
    }

    @Test
    void aServerStartedDuringALongOutageAndAClientThatLivedThroughItCatchUpWithinMaxRetryBackoff() {
        this.clientApp.run((client) -> {
            EtcdNameResolverProvider provider = client.getBean(EtcdNameResolverProvider.class);
            NameResolverRegistry.getDefaultRegistry().register(provider);
            ManagedChannel channel = NettyChannelBuilder.forTarget("etcd:///outage-client").usePlaintext().build();
            try {
                put("outage-client/127.0.0.1:7201");
                channel.getState(true);
                await().atMost(Duration.ofSeconds(30)).until(() -> watch(client).endpointCount() == 1);

                this.etcd.stop();
                this.serverApp.run((server) -> {
                    RegistrationHandle registration = server.getBean(EtcdServiceRegistry.class)
                        .register("outage-server", "127.0.0.1:7301", null);
                    await().during(OUTAGE)
                        .atMost(OUTAGE.plusSeconds(30))
                        .until(() -> registration.snapshot().state() == RegistrationState.REGISTERING
                                && !watch(client).healthy());
                    this.etcd.restart();
                    assertCaughtUpWithinPromise(System.nanoTime(), client);
                });
            }
            finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                NameResolverRegistry.getDefaultRegistry().deregister(provider);
            }
        });
    }

    private void assertCaughtUpWithinPromise(long healthyAt, AssertableApplicationContext client) throws Exception {
        try (Client outsider = newClient()) {
            put(outsider, "outage-client/127.0.0.1:7202");
            Recovery recovery = new Recovery(healthyAt);
            await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> recovery.check(present(outsider, "outage-server/127.0.0.1:7301"),
                        watch(client).endpointCount() == 2));
            logger.info("After a {} s outage: server registered {} ms, client followed a new key {} ms after etcd was "
                    + "healthy again", OUTAGE.toSeconds(), recovery.registered.toMillis(), recovery.followed.toMillis());
            assertThat(recovery.registered).as("time from etcd healthy again to the server's key in etcd")
                .isLessThanOrEqualTo(PROMISED);
            assertThat(recovery.followed).as("time from etcd healthy again to the client following a new key")
                .isLessThanOrEqualTo(PROMISED);
        }
    }

    private static WatchSnapshot watch(AssertableApplicationContext context) {
        return context.getBean(ServiceDirectory.class)
            .snapshots()
            .stream()
            .filter((snapshot) -> snapshot.prefix().equals("outage-client/"))
            .findFirst()
            .orElseThrow();
    }

    private Client newClient() {
        return this.etcd.client();
    }

    private void put(String key) throws Exception {
        try (Client client = newClient()) {
            put(client, key);
        }
    }

    private static void put(Client client, String key) throws Exception {
        String addr = key.substring(key.indexOf('/') + 1);
        client.getKVClient()
            .put(bytes(key), bytes("{\"Op\":0,\"Addr\":\"" + addr + "\",\"Metadata\":null}"))
            .get(10, TimeUnit.SECONDS);
    }

    private static boolean present(Client client, String key) throws Exception {
        return client.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getCount() == 1;
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** When each side caught up, measured from the moment etcd was healthy again. */
    private static final class Recovery {

        private final long healthyAt;

        private Duration registered;

        private Duration followed;

        Recovery(long healthyAt) {
            this.healthyAt = healthyAt;
        }

        boolean check(boolean registeredNow, boolean followedNow) {
            Duration now = Duration.ofNanos(System.nanoTime() - this.healthyAt);
            if (this.registered == null && registeredNow) {
                this.registered = now;
            }
            if (this.followed == null && followedNow) {
                this.followed = now;
            }
            return this.registered != null && this.followed != null;
        }
    }
}
