package dev.etcddiscovery.spring;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationHandle;
import dev.etcddiscovery.registration.RegistrationState;
import dev.etcddiscovery.registration.RegistrationStatus;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.cloud.EtcdDiscoveryClient;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdGrpcProxy;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdTest;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter with {@code etcd.discovery.endpoints} pointing at etcd's gRPC proxy (issue 25): a server registers, a
 * channel on {@code etcd:///} calls it, the Spring Cloud view and the health indicator see it, the registration's
 * status takes the key out and puts it back, and a healthy steady state costs etcd no Range and no new watch over
 * several check intervals, the registration's included (the proxy answers no progress request; status requests vouch
 * for the quiet watches).
 */
@EtcdTest
@Tag("slow")
class GrpcProxyIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** Status requests etcd answers while the watches are watched: the resolver's each second, the guard's each TTL. */
    private static final int PROBES = 6;

    private final EtcdCluster etcd;

    GrpcProxyIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void everyPartWorksThroughTheProxyAndAHealthyStateCostsEtcdNoRangeAndNoWatch() throws Exception {
        try (EtcdGrpcProxy proxy = this.etcd.grpcProxy(); PortServer server = PortServer.start()) {
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class, TestLine.RESOLVER,
                        TestLine.REGISTRATION, TestLine.HEALTH, EtcdSpringCloudAutoConfiguration.class))
                .withPropertyValues("etcd.discovery.endpoints=" + proxy.endpoint(),
                        "etcd.discovery.request-timeout=2s", "etcd.discovery.registration.ttl=2s",
                        "etcd.discovery.resolver.watch-check-interval=1s")
                .run((context) -> {
                    EtcdServiceRegistry registry = context.getBean(EtcdServiceRegistry.class);
                    RegistrationHandle handle = registry.register("proxied-greeter", "127.0.0.1:" + server.port(),
                            null);
                    await().atMost(DEADLINE).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);

                    EtcdNameResolverProvider provider = context.getBean(EtcdNameResolverProvider.class);
                    NameResolverRegistry.getDefaultRegistry().register(provider);
                    ManagedChannel channel = NettyChannelBuilder.forTarget("etcd:///proxied-greeter")
                        .usePlaintext()
                        .build();
                    try {
                        assertThat(PortServer.call(channel)).isEqualTo(server.port());
                        assertThat(context.getBean(EtcdDiscoveryClient.class).getInstances("proxied-greeter"))
                            .singleElement()
                            .satisfies((instance) -> assertThat(instance.getPort()).isEqualTo(server.port()));
                        assertThat(TestLine.health(context.getBean(TestLine.lineClass("EtcdDiscoveryHealthIndicator")))
                            .status()).isEqualTo("UP");

                        // the operator's controls: out of rotation and back, the key deleted and put again
                        String address = "127.0.0.1:" + server.port();
                        registry.setStatus(RegistrationStatus.OUT_OF_SERVICE);
                        await().atMost(DEADLINE).until(() -> value(handle.key()).isBlank());
                        registry.setStatus(RegistrationStatus.UP);
                        await().atMost(DEADLINE).until(() -> value(handle.key()).contains(address));

                        // a delete on etcd itself is undone by the own-key guard through the proxy, and followed by
                        // the resolver: from here on both watches are in place
                        this.etcd.etcdctl("del", handle.key());
                        await().atMost(DEADLINE).until(() -> value(handle.key()).contains(address));
                        assertThat(PortServer.call(channel)).isEqualTo(server.port());

                        EtcdMetrics before = this.etcd.members().get(0).metrics();
                        // the watches lived through several check intervals once etcd answered that many probes; a
                        // watch taken for silent and replaced ends the wait at its first Range
                        await().atMost(DEADLINE).until(() -> {
                            EtcdMetrics now = this.etcd.members().get(0).metrics();
                            return status(now) >= status(before) + PROBES || range(now) > range(before);
                        });
                        EtcdMetrics after = this.etcd.members().get(0).metrics();
                        System.out.printf("etcd behind a grpc-proxy, the starter's steady state: before %s, after %s,"
                                + " Status calls %d -> %d%n", before, after, status(before), status(after));
                        assertThat(range(after)).isEqualTo(range(before));
                        assertThat(watch(after)).isEqualTo(watch(before));
                        assertThat(PortServer.call(channel)).isEqualTo(server.port());
                        assertThat(handle.snapshot().leaseRegrants()).isZero();
                    }
                    finally {
                        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                        NameResolverRegistry.getDefaultRegistry().deregister(provider);
                    }
                });
        }
    }

    private String value(String key) {
        return this.etcd.etcdctl("get", key, "--print-value-only");
    }

    private static long status(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.Maintenance", "Status");
    }

    private static long range(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.KV", "Range");
    }

    private static long watch(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.Watch", "Watch");
    }
}
