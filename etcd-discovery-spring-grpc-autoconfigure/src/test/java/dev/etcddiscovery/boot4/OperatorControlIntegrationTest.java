package dev.etcddiscovery.boot4;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.etcddiscovery.registration.EtcdProbe;
import dev.etcddiscovery.spring.registration.EtcdRegistrationEndpoint;
import dev.etcddiscovery.spring.registration.GrpcHealthCheck;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.KeyDeletionWatch;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13's operator controls on a real Spring gRPC server against a real etcd: the {@code etcdregistration}
 * endpoint and readiness take the key out and put it back while the server keeps serving, health details and
 * metrics show the status, and a stop with a drain delay keeps the port answering after the key is gone.
 */
@EtcdTest
@Tag("slow")
class OperatorControlIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private EtcdCluster etcd;

    private EtcdProbe probe;

    private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(EtcdCluster etcd) {
        this.etcd = etcd;
        this.probe = new EtcdProbe(etcd);
    }

    @AfterEach
    void tearDown() {
        this.apps.forEach(ConfigurableApplicationContext::close);
        this.probe.close();
    }

    @Test
    void outOfServiceThroughTheEndpointDeletesTheKeyKeepsServingAndUpPutsItBack() {
        ConfigurableApplicationContext app = start("spring.application.name=oos",
                "management.endpoints.web.exposure.include=etcdregistration",
                "etcd.discovery.metrics.refresh-interval=200ms");
        String address = address(app);
        String key = "oos/" + address;
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        EtcdRegistrationEndpoint endpoint = app.getBean(EtcdRegistrationEndpoint.class);

        assertThat(endpoint.setStatus("OUT_OF_SERVICE").status()).isEqualTo("OUT_OF_SERVICE");
        await().atMost(DEADLINE).until(() -> !this.probe.present(key));
        assertThat(GrpcHealthCheck.status(address)).isEqualTo(ServingStatus.SERVING);
        assertThat(endpoint.registrations().registrations()).singleElement()
            .satisfies((registration) -> assertThat(registration.status()).isEqualTo("OUT_OF_SERVICE"))
            .satisfies((registration) -> assertThat(registration.inEtcd()).isFalse());
        assertThat(registrationDetails(app)).containsEntry("status", "OUT_OF_SERVICE")
            .containsEntry("advertised", false);
        await().atMost(DEADLINE).until(() -> gauge(app, "etcd.discovery.registration.status", key) == 0.0);

        endpoint.setStatus("UP");
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        assertThat(registrationDetails(app)).containsEntry("status", "UP");
        await().atMost(DEADLINE).until(() -> gauge(app, "etcd.discovery.registration.status", key) == 1.0);
    }

    @Test
    void refusingTrafficDeletesTheKeyAndAcceptingTrafficPutsItBack() {
        ConfigurableApplicationContext app = start("spring.application.name=ready");
        String address = address(app);
        String key = "ready/" + address;
        await().atMost(DEADLINE).until(() -> this.probe.present(key));

        AvailabilityChangeEvent.publish(app, ReadinessState.REFUSING_TRAFFIC);
        await().atMost(DEADLINE).until(() -> !this.probe.present(key));
        assertThat(GrpcHealthCheck.status(address)).isEqualTo(ServingStatus.SERVING);

        AvailabilityChangeEvent.publish(app, ReadinessState.ACCEPTING_TRAFFIC);
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
    }

    @Test
    void aStopWithADrainDelayKeepsThePortAnsweringAfterTheKeyIsGone() throws Exception {
        ConfigurableApplicationContext app = start("spring.application.name=drainer",
                "etcd.discovery.registration.drain-delay=3s");
        String address = address(app);
        String key = "drainer/" + address;
        await().atMost(DEADLINE).until(() -> this.probe.present(key));

        AtomicLong deletedAt = new AtomicLong();
        try (Client watchClient = this.etcd.client();
                Watch.Watcher watcher = KeyDeletionWatch.watch(watchClient, key, () -> deletedAt.compareAndSet(0, System.nanoTime()))) {
            this.apps.remove(app);
            Thread stopping = new Thread(app::close, "stopping-app");
            stopping.start();

            await().atMost(DEADLINE).until(() -> deletedAt.get() != 0);
            // issue 13: with a 2 s drain the port still answers 1.8 s after the key is gone; 1 s of a 3 s drain
            // leaves a loaded machine room
            await().atMost(DEADLINE)
                .until(() -> System.nanoTime() - deletedAt.get() >= TimeUnit.SECONDS.toNanos(1));
            assertThat(GrpcHealthCheck.status(address)).isEqualTo(ServingStatus.SERVING);

            stopping.join(DEADLINE.toMillis());
            assertThat(stopping.isAlive()).isFalse();
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        ConfigurableApplicationContext app = SpringGrpcServerTestApp.start(this.etcd.endpointList(), properties);
        this.apps.add(app);
        return app;
    }

    private static String address(ConfigurableApplicationContext app) {
        return "127.0.0.1:" + app.getBean(SpringGrpcServerTestApp.BoundPort.class).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> registrationDetails(ConfigurableApplicationContext app) {
        Object registrations = app.getBean(EtcdDiscoveryHealthIndicator.class).health().getDetails()
            .get("registrations");
        return ((List<Map<String, Object>>) registrations).get(0);
    }

    private static double gauge(ConfigurableApplicationContext app, String name, String key) {
        Gauge gauge = app.getBean(MeterRegistry.class).find(name).tag("key", key).gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }
}
