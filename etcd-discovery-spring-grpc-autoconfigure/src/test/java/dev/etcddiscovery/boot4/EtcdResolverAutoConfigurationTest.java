package dev.etcddiscovery.boot4;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.resolver.AbstractEtcdResolverAutoConfigurationTest;
import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.grpc.Channel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientDefaultServiceConfigCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.client.ImportGrpcClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resolver's auto-configuration on Spring gRPC: the shared conditions, the provider's registration in gRPC's
 * default registry, and that Spring gRPC channels with an {@code etcd:///} target (stub beans of
 * {@code @ImportGrpcClients} and {@code createChannel}) use it.
 */
class EtcdResolverAutoConfigurationTest extends AbstractEtcdResolverAutoConfigurationTest {

    EtcdResolverAutoConfigurationTest(EtcdCluster etcd) {
        super(etcd);
    }

    @Override
    protected List<Class<?>> resolverBeans() {
        return List.of(EtcdNameResolverProvider.class, EtcdNameResolverRegistration.class, ServiceDirectory.class);
    }

    @Test
    void theProviderIsInGrpcsDefaultRegistryWhileTheContextRuns() {
        this.runner.run((context) -> assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd"))
            .isSameAs(context.getBean(EtcdNameResolverProvider.class)));
        assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd")).isNull();
    }

    @Test
    void aProviderOfTheApplicationIsTheOneRegistered() {
        this.runner.withUserConfiguration(OwnProvider.class)
            .run((context) -> assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd"))
                .isSameAs(context.getBean(OwnProvider.class).provider));
    }

    @Test
    void withoutSpringGrpcTheProviderIsStillRegisteredForPlainGrpcChannels() {
        this.runner.withClassLoader(new FilteredClassLoader(GrpcChannelFactory.class))
            .run((context) -> assertThat(context).hasSingleBean(EtcdNameResolverRegistration.class));
    }

    @Test
    void theChannelCustomizersAreBeansWithSpringBootsGrpcClient() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(EtcdChannelServiceConfig.class)
            .hasSingleBean(EtcdLoadBalancingPolicyCustomizer.class)
            .hasSingleBean(EtcdHealthCheckServiceConfigCustomizer.class));
    }

    @Test
    void withoutSpringBootsGrpcClientThereAreNoChannelCustomizers() {
        this.runner.withClassLoader(new FilteredClassLoader(GrpcClientDefaultServiceConfigCustomizer.class))
            .run((context) -> assertThat(context).hasSingleBean(EtcdNameResolverRegistration.class)
                .doesNotHaveBean(EtcdChannelServiceConfig.class)
                .doesNotHaveBean(EtcdLoadBalancingPolicyCustomizer.class)
                .doesNotHaveBean(EtcdHealthCheckServiceConfigCustomizer.class));
    }

    @Test
    void theApplicationsOwnChannelServiceConfigReplacesOurs() {
        this.runner.withUserConfiguration(OwnChannelServiceConfig.class)
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=svc")
            .run((context) -> {
                assertThat(context).getBean(EtcdChannelServiceConfig.class)
                    .isSameAs(context.getBean(OwnChannelServiceConfig.class).config);
                Map<String, Object> serviceConfig = new HashMap<>();
                context.getBean(EtcdHealthCheckServiceConfigCustomizer.class).customize("etcd:///x", serviceConfig);
                assertThat(serviceConfig).isEmpty();
            });
    }

    @Test
    void healthCheckingAddsOnlyWhatTheChannelsServiceConfigLeavesOut() {
        this.runner
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GrpcClientAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=svc",
                    "spring.grpc.client.channel.greeter.target=etcd:///greeter")
            .run((context) -> {
                EtcdHealthCheckServiceConfigCustomizer customizer = context
                    .getBean(EtcdHealthCheckServiceConfigCustomizer.class);
                Map<String, Object> own = new HashMap<>(Map.of("healthCheckConfig", Map.of("serviceName", "mine")));
                customizer.customize("greeter", own);
                assertThat(own).containsEntry("healthCheckConfig", Map.of("serviceName", "mine"))
                    .containsEntry("loadBalancingConfig", List.of(Map.of("etcd_routing", Map.of())));
                Map<String, Object> other = new HashMap<>();
                customizer.customize("dns:///x", other);
                assertThat(other).isEmpty();
            });
    }

    @Test
    void aStubOfImportGrpcClientsWithAnEtcdTargetCallsTheRegisteredServerAndShutsDownCleanly() throws Exception {
        try (HealthServer server = HealthServer.start(); Client client = etcdClient()) {
            register(client, "boot4-greeter", server.port());

            this.runner
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GrpcClientAutoConfiguration.class))
                .withUserConfiguration(HealthStubConfiguration.class)
                .withPropertyValues("spring.grpc.client.channel.greeter.target=etcd:///boot4-greeter",
                        "etcd.discovery.resolver.watch-check-interval=1s")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    HealthGrpc.HealthBlockingStub stub = context.getBean(HealthGrpc.HealthBlockingStub.class);
                    assertThat(check(stub)).isEqualTo(ServingStatus.SERVING);
                    assertThat(context.getBeanNamesForType(GrpcChannelFactory.class)).isNotEmpty();
                    for (String factory : context.getBeanNamesForType(GrpcChannelFactory.class)) {
                        assertThat(context.getBeanFactory().getBeanDefinition(factory).getDependsOn())
                            .contains("etcdNameResolverRegistration");
                    }
                });
            assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd")).isNull();
            await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch((thread) -> thread.getName().equals("etcd-resolver-timer")));
        }
    }

    @Test
    void aChannelMadeOnlyThroughTheChannelFactoryResolvesAnEtcdTarget() throws Exception {
        try (HealthServer server = HealthServer.start(); Client client = etcdClient()) {
            register(client, "factory-greeter", server.port());

            this.runner
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GrpcClientAutoConfiguration.class))
                .withPropertyValues("spring.grpc.client.channel.greeter.target=etcd:///factory-greeter")
                .run((context) -> {
                    Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("greeter");
                    assertThat(check(HealthGrpc.newBlockingStub(channel))).isEqualTo(ServingStatus.SERVING);
                });
        }
    }

    private Client etcdClient() {
        return Client.builder().endpoints(this.etcd.endpoints().toArray(String[]::new)).build();
    }

    private static void register(Client client, String service, int port) throws Exception {
        String addr = "127.0.0.1:" + port;
        client.getKVClient()
            .put(bytes(service + "/" + addr), bytes("{\"Addr\":\"" + addr + "\",\"Metadata\":{\"zone\":\"a\"}}"))
            .get(10, TimeUnit.SECONDS);
    }

    private static ServingStatus check(HealthGrpc.HealthBlockingStub stub) {
        return stub.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChannelServiceConfig {

        final EtcdChannelServiceConfig config = EtcdChannelServiceConfig.of("round_robin", null);

        @Bean
        EtcdChannelServiceConfig ownEtcdChannelServiceConfig() {
            return this.config;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportGrpcClients(target = "greeter", types = HealthGrpc.HealthBlockingStub.class)
    static class HealthStubConfiguration {

    }

    /** A gRPC server on a free loopback port with nothing but the standard health service. */
    static final class HealthServer implements AutoCloseable {

        private final Server server;

        private HealthServer(Server server) {
            this.server = server;
        }

        static HealthServer start() throws IOException {
            return new HealthServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new HealthStatusManager().getHealthService())
                .build()
                .start());
        }

        int port() {
            return this.server.getPort();
        }

        @Override
        public void close() throws InterruptedException {
            this.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
