package dev.etcddiscovery.spring.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationHandle;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meter values after real events: keys put and deleted by another etcd client, a malformed value, etcd killed and
 * restarted, a lease revoked with {@code etcdctl}. Meters appear for a channel opened after startup and go away
 * when it closes.
 */
@EtcdTest
@Tag("slow")
class EtcdDiscoveryMetricsIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EtcdCluster etcd;

    private final ApplicationContextRunner runner;

    private Client writer;

    EtcdDiscoveryMetricsIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    TestLine.RESOLVER, TestLine.REGISTRATION,
                    TestLine.BOOT_METRICS, TestLine.METRICS))
            .withUserConfiguration(Registry.class)
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(), "etcd.discovery.request-timeout=1s",
                    "etcd.discovery.metrics.refresh-interval=100ms");
    }

    @BeforeEach
    void connectWriter() {
        this.writer = this.etcd.client();
    }

    @AfterEach
    void closeWriter() {
        this.writer.close();
    }

    @Test
    void endpointGaugeFollowsPutsAndDeletesAndMalformedValuesAreCounted() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            put("metrics-svc/127.0.0.1:50051", "{\"Addr\":\"127.0.0.1:50051\"}");
            withChannel(context, "etcd:///metrics-svc", () -> {
                await().atMost(DEADLINE).until(() -> endpoints(registry, "metrics-svc/") == 1);
                // the target's meters are registered one by one on the same refresh: the counter may come a moment later
                await().atMost(DEADLINE)
                    .until(() -> counter(registry, "etcd.discovery.resolver.malformed.values", "target",
                            "metrics-svc/") == 0);

                put("metrics-svc/127.0.0.1:50052", "{\"Addr\":\"127.0.0.1:50052\"}");
                await().atMost(DEADLINE).until(() -> endpoints(registry, "metrics-svc/") == 2);
                delete("metrics-svc/127.0.0.1:50051");
                await().atMost(DEADLINE).until(() -> endpoints(registry, "metrics-svc/") == 1);

                put("metrics-svc/bad", "not json");
                await().atMost(DEADLINE)
                    .until(() -> counter(registry, "etcd.discovery.resolver.malformed.values", "target",
                            "metrics-svc/") == 1);
                assertThat(endpoints(registry, "metrics-svc/")).isEqualTo(1);
            });
            await().atMost(DEADLINE)
                .until(() -> registry.find("etcd.discovery.resolver.endpoints")
                    .tag("target", "metrics-svc/")
                    .gauge() == null);
        });
    }

    @Test
    void watchRestartsAreCountedAcrossAnEtcdKillAndRestart() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            put("restart-svc/127.0.0.1:50051", "{\"Addr\":\"127.0.0.1:50051\"}");
            withChannel(context, "etcd:///restart-svc", () -> {
                await().atMost(DEADLINE).until(() -> endpoints(registry, "restart-svc/") == 1);
                double restarts = counter(registry, "etcd.discovery.resolver.watch.restarts", "target", "restart-svc/");
                this.etcd.kill();
                this.etcd.restart();
                await().atMost(DEADLINE)
                    .until(() -> counter(registry, "etcd.discovery.resolver.watch.restarts", "target",
                            "restart-svc/") > restarts);
                await().atMost(DEADLINE).until(() -> endpoints(registry, "restart-svc/") == 1);
                assertThat(counter(registry, "etcd.discovery.resolver.relists", "target", "restart-svc/")).isZero();
            });
        });
    }

    @Test
    void leaseRegrantsAreCountedAfterTheLeaseIsRevokedAndTheStateGaugeFollows() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            EtcdServiceRegistry serviceRegistry = context.getBean(EtcdServiceRegistry.class);
            String key = "lease-svc/127.0.0.1:50051";
            RegistrationHandle handle = serviceRegistry.register("lease-svc", "127.0.0.1:50051", null);
            await().atMost(DEADLINE).until(() -> state(registry, key) == 1);
            assertThat(counter(registry, "etcd.discovery.registration.lease.regrants", "key", key)).isZero();
            assertThat(counter(registry, "etcd.discovery.registration.keepalive.failures", "key", key)).isZero();

            long lease = serviceRegistry.registrations().get(0).leaseId();
            this.etcd.etcdctl("lease", "revoke", Long.toHexString(lease));
            await().atMost(DEADLINE)
                .until(() -> counter(registry, "etcd.discovery.registration.lease.regrants", "key", key) == 1);
            await().atMost(DEADLINE).until(() -> state(registry, key) == 1
                    && serviceRegistry.registrations().get(0).leaseId() != lease);

            handle.close();
            await().atMost(DEADLINE)
                .until(() -> registry.find("etcd.discovery.registration.state").tag("key", key).gauge() == null);
        });
    }

    private void withChannel(AssertableApplicationContext context, String target, ThrowingRunnable body)
            throws Exception {
        EtcdNameResolverProvider provider = context.getBean(EtcdNameResolverProvider.class);
        NameResolverRegistry.getDefaultRegistry().register(provider);
        ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            // Leaving idle starts the channel's name resolver, hence the etcd watch.
            channel.getState(true);
            body.run();
        }
        finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            NameResolverRegistry.getDefaultRegistry().deregister(provider);
        }
    }

    private static double endpoints(MeterRegistry registry, String target) {
        Gauge gauge = registry.find("etcd.discovery.resolver.endpoints").tag("target", target).gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }

    private static double state(MeterRegistry registry, String key) {
        Gauge gauge = registry.find("etcd.discovery.registration.state").tag("key", key).gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }

    private static double counter(MeterRegistry registry, String name, String tag, String value) {
        FunctionCounter counter = registry.find(name).tag(tag, value).functionCounter();
        return (counter != null) ? counter.count() : Double.NaN;
    }

    private void put(String key, String value) throws Exception {
        this.writer.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
    }

    private void delete(String key) throws Exception {
        this.writer.getKVClient().delete(bytes(key)).get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface ThrowingRunnable {

        void run() throws Exception;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
