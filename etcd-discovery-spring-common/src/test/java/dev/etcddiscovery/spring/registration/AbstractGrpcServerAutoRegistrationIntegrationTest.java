package dev.etcddiscovery.spring.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.registration.EtcdProbe;
import dev.etcddiscovery.registration.RegistrationState;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.KeyDeletionWatch;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real gRPC servers in this JVM register themselves, are reachable at the registered address, and leave etcd before
 * they stop serving, within a bound when etcd is down. Shared by both lines (the Boot 4.1 module compiles it from
 * here); each line's subclass starts its framework's server application.
 */
@EtcdTest
@Tag("slow")
public abstract class AbstractGrpcServerAutoRegistrationIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private EtcdCluster etcd;

    private EtcdProbe probe;

    private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

    /**
     * Starts a server application on a free loopback port that registers 127.0.0.1 with a 2 s TTL in
     * {@code etcdEndpoints}, plus {@code properties}.
     */
    protected abstract ConfigurableApplicationContext startApplication(String etcdEndpoints, String... properties);

    /** The port the application's gRPC server bound, seen independently of the registration. */
    protected abstract int boundPort(ConfigurableApplicationContext app);

    /**
     * Properties, if the line needs any, that make its server stop at once, so that only the registration's shutdown
     * is timed.
     */
    protected abstract List<String> noServerShutdownGracePeriod();

    @BeforeEach
    protected void setUp(EtcdCluster etcd) {
        this.etcd = etcd;
        this.probe = new EtcdProbe(etcd);
    }

    @AfterEach
    protected void tearDown() {
        this.apps.forEach(ConfigurableApplicationContext::close);
        this.probe.close();
    }

    @Test
    protected void registersTheBoundPortOnceReadyWithTheTtlAndNullMetadata() throws Exception {
        ConfigurableApplicationContext app = start("spring.application.name=greeter");
        int port = boundPort(app);
        assertThat(port).isPositive();
        String key = "greeter/127.0.0.1:" + port;

        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        assertThat(this.probe.value(key))
            .contains("{\"Op\":0,\"Addr\":\"127.0.0.1:" + port + "\",\"Metadata\":null}");
        assertThat(this.probe.grantedTtl(this.probe.lease(key))).isEqualTo(2);
        assertThat(GrpcHealthCheck.status("127.0.0.1:" + port)).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    protected void honoursCustomHostPortAndObjectMetadata() throws Exception {
        start("etcd.discovery.registration.service-name=custom", "etcd.discovery.registration.host=app.example.internal",
                "etcd.discovery.registration.port=7443", "etcd.discovery.registration.metadata.zone=a",
                "etcd.discovery.registration.metadata.weight=3");

        String key = "custom/app.example.internal:7443";
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        assertThat(this.probe.value(key)).contains(
                "{\"Op\":0,\"Addr\":\"app.example.internal:7443\",\"Metadata\":{\"zone\":\"a\",\"weight\":\"3\"}}");
    }

    @Test
    protected void writesMetadataAsOneStringWhenAskedAndHonoursTheNamespace() throws Exception {
        ConfigurableApplicationContext app = start("spring.application.name=go-friendly",
                "etcd.discovery.namespace=prod/", "etcd.discovery.registration.metadata.zone=a",
                "etcd.discovery.registration.metadata-encoding=string");
        int port = boundPort(app);

        String key = "prod/go-friendly/127.0.0.1:" + port;
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        assertThat(this.probe.value(key)).contains(
                "{\"Op\":0,\"Addr\":\"127.0.0.1:" + port + "\",\"Metadata\":\"{\\\"zone\\\":\\\"a\\\"}\"}");
    }

    @Test
    protected void twoInstancesAreBothRegisteredAndBothReachable() throws Exception {
        start("spring.application.name=pair");
        start("spring.application.name=pair");

        await().atMost(DEADLINE).until(() -> this.probe.prefix("pair/").size() == 2);
        for (String key : this.probe.prefix("pair/").keySet()) {
            assertThat(GrpcHealthCheck.status(key.substring("pair/".length()))).isEqualTo(ServingStatus.SERVING);
        }
    }

    @Test
    protected void gracefulShutdownRemovesTheKeyBeforeTheServerRefusesCalls() throws Exception {
        ConfigurableApplicationContext app = start("spring.application.name=drain");
        String address = "127.0.0.1:" + boundPort(app);
        String key = "drain/" + address;
        await().atMost(DEADLINE).until(() -> this.probe.present(key));

        AtomicBoolean registered = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        List<String> failuresWhileRegistered = new CopyOnWriteArrayList<>();
        try (Client watchClient = this.etcd.client();
                Watch.Watcher watcher = KeyDeletionWatch.watch(watchClient, key, () -> registered.set(false))) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
            // a client that, like a resolver, stops using the address once its key is deleted
            Thread client = new Thread(() -> {
                HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
                while (registered.get()) {
                    try {
                        stub.withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
                        calls.incrementAndGet();
                    }
                    catch (RuntimeException ex) {
                        // a failure only counts if the key was still there to send clients to this server
                        if (this.probe.present(key)) {
                            failuresWhileRegistered.add(ex.toString());
                        }
                    }
                }
            }, "calling-client");
            client.start();
            await().atMost(DEADLINE).until(() -> calls.get() > 10);

            this.apps.remove(app);
            app.close();

            client.join(DEADLINE.toMillis());
            assertThat(client.isAlive()).isFalse();
            channel.shutdownNow();
        }
        assertThat(registered.get()).isFalse();
        assertThat(failuresWhileRegistered).isEmpty();
        assertThat(this.probe.present(key)).isFalse();
    }

    @Test
    protected void shutdownWithEtcdDownFinishesWithinTheShutdownTimeout() {
        List<String> properties = new ArrayList<>(List.of("spring.application.name=down",
                "etcd.discovery.request-timeout=60s", "etcd.discovery.registration.shutdown-timeout=1s"));
        properties.addAll(noServerShutdownGracePeriod());
        ConfigurableApplicationContext app = start(properties.toArray(String[]::new));
        GrpcServerAutoRegistration registration = app.getBean(GrpcServerAutoRegistration.class);
        await().atMost(DEADLINE)
            .until(() -> registration.registration()
                .map((handle) -> handle.snapshot().state() == RegistrationState.REGISTERED)
                .orElse(false));
        this.etcd.stop();
        try {
            Instant start = Instant.now();
            this.apps.remove(app);
            app.close();
            // without the bound, revoking would wait for the 60 s request timeout
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
            assertThat(registration.registration().get().snapshot().state())
                .isEqualTo(RegistrationState.DEREGISTERED);
        }
        finally {
            this.etcd.restart();
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        ConfigurableApplicationContext app = startApplication(this.etcd.endpointList(), properties);
        this.apps.add(app);
        return app;
    }
}
