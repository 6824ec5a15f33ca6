package dev.etcddiscovery.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Spring gRPC servers in this JVM register themselves, are reachable at the registered address, and leave etcd
 * before they stop serving, within a bound when etcd is down.
 */
@EtcdTest
class GrpcServerAutoRegistrationIntegrationTest {

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
    void registersTheBoundPortOnceReadyWithTheTtlAndNullMetadata() throws Exception {
        ConfigurableApplicationContext app = start("spring.application.name=greeter");
        int port = app.getBean(SpringGrpcServerTestApp.BoundPort.class).get();
        assertThat(port).isPositive();
        String key = "greeter/127.0.0.1:" + port;

        await().atMost(Duration.ofSeconds(30)).until(() -> this.probe.present(key));
        assertThat(this.probe.value(key))
            .contains("{\"Op\":0,\"Addr\":\"127.0.0.1:" + port + "\",\"Metadata\":null}");
        assertThat(this.probe.grantedTtl(this.probe.lease(key))).isEqualTo(2);
        assertThat(healthCheck("127.0.0.1:" + port)).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void gracefulShutdownRemovesTheKeyBeforeTheServerRefusesCalls() throws Exception {
        ConfigurableApplicationContext app = start("spring.application.name=drain");
        String address = "127.0.0.1:" + app.getBean(SpringGrpcServerTestApp.BoundPort.class).get();
        String key = "drain/" + address;
        await().atMost(Duration.ofSeconds(30)).until(() -> this.probe.present(key));

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
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > 10);

            this.apps.remove(app);
            app.close();

            client.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(client.isAlive()).isFalse();
            channel.shutdownNow();
        }
        assertThat(registered.get()).isFalse();
        assertThat(failuresWhileRegistered).isEmpty();
        assertThat(this.probe.present(key)).isFalse();
    }

    @Test
    void shutdownWithEtcdDownFinishesWithinTheShutdownTimeout() {
        ConfigurableApplicationContext app = start("spring.application.name=down",
                "etcd.discovery.request-timeout=60s", "etcd.discovery.registration.shutdown-timeout=1s",
                "spring.grpc.server.shutdown.grace-period=0s");
        GrpcServerAutoRegistration registration = app.getBean(GrpcServerAutoRegistration.class);
        await().atMost(Duration.ofSeconds(30))
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
        ConfigurableApplicationContext app = SpringGrpcServerTestApp.start(this.etcd.endpointList(), properties);
        this.apps.add(app);
        return app;
    }


    private static ServingStatus healthCheck(String address) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
        }
        finally {
            channel.shutdownNow();
        }
    }
}
