package dev.etcddiscovery.boot3;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.resolver.AbstractEtcdResolverAutoConfigurationTest;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.grpc.Channel;
import io.grpc.NameResolverRegistry;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resolver's auto-configuration with grpc-spring: the shared conditions, and that grpc-spring channels with an
 * {@code etcd:///} address use the resolver.
 */
class EtcdResolverAutoConfigurationTest extends AbstractEtcdResolverAutoConfigurationTest {

    EtcdResolverAutoConfigurationTest(EtcdCluster etcd) {
        super(etcd);
    }

    @Test
    void aGrpcClientWithAnEtcdAddressCallsTheRegisteredServerAndShutsDownCleanly() throws Exception {
        try (PortServer server = PortServer.start(); Client client = this.etcd.client()) {
            String addr = "127.0.0.1:" + server.port();
            client.getKVClient()
                .put(bytes("boot-greeter/" + addr), bytes("{\"Addr\":\"" + addr + "\",\"Metadata\":{\"zone\":\"a\"}}"))
                .get(10, TimeUnit.SECONDS);

            this.runner.withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
                .withUserConfiguration(GreeterClientConfiguration.class)
                .withPropertyValues("grpc.client.greeter.address=etcd:///boot-greeter",
                        "grpc.client.greeter.negotiation-type=plaintext",
                        "etcd.discovery.resolver.watch-check-interval=1s")
                .run((context) -> {
                    assertThat(PortServer.call(context.getBean(GreeterClient.class).channel)).isEqualTo(server.port());
                    assertThat(context.getBeanNamesForType(GrpcChannelFactory.class)).isNotEmpty();
                    for (String factory : context.getBeanNamesForType(GrpcChannelFactory.class)) {
                        assertThat(context.getBeanFactory().getBeanDefinition(factory).getDependsOn())
                            .contains("etcdServiceDirectory");
                    }
                });
            assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd")).isNull();
            await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch((thread) -> thread.getName().equals("etcd-resolver-timer")));
        }
    }

    @Test
    void aChannelMadeOnlyThroughTheChannelFactoryResolvesAnEtcdAddress() throws Exception {
        try (PortServer server = PortServer.start(); Client client = this.etcd.client()) {
            String addr = "127.0.0.1:" + server.port();
            client.getKVClient()
                .put(bytes("factory-greeter/" + addr), bytes("{\"Addr\":\"" + addr + "\"}"))
                .get(10, TimeUnit.SECONDS);

            // no @GrpcClient anywhere: nothing but our auto-configuration makes grpc-spring register the providers
            this.runner.withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
                .withPropertyValues("grpc.client.greeter.address=etcd:///factory-greeter",
                        "grpc.client.greeter.negotiation-type=plaintext")
                .run((context) -> {
                    Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("greeter");
                    assertThat(PortServer.call(channel)).isEqualTo(server.port());
                });
            assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd")).isNull();
        }
    }

    static class GreeterClient {

        @GrpcClient("greeter")
        Channel channel;
    }

    @Configuration(proxyBeanMethods = false)
    static class GreeterClientConfiguration {

        @Bean
        GreeterClient greeterClient() {
            return new GreeterClient();
        }
    }
}
