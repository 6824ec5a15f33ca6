package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.EtcdDiscoveryAutoConfiguration;
import io.etcd.jetcd.Client;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each condition of {@link EtcdRegistrationAutoConfiguration} with Spring gRPC's server. No etcd is needed: nothing
 * is registered before the application is ready, which a context runner never is.
 */
class EtcdRegistrationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
                EtcdRegistrationAutoConfiguration.class, GrpcServerAutoConfiguration.class))
        .withUserConfiguration(OneService.class)
        .withPropertyValues("spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
                "etcd.discovery.registration.host=127.0.0.1");

    @Test
    void theSpringGrpcServerIsRegisteredUnderTheApplicationName() {
        this.runner.withPropertyValues("spring.application.name=greeter").run((context) -> {
            assertThat(context).hasSingleBean(GrpcServerLifecycle.class)
                .hasSingleBean(EtcdServiceRegistry.class)
                .hasSingleBean(GrpcServerAutoRegistration.class);
            GrpcServerEndpoint endpoint = context.getBean(GrpcServerEndpoint.class);
            assertThat(endpoint.service()).isEqualTo("greeter");
            assertThat(endpoint.host()).isEqualTo("127.0.0.1");
            assertThat(endpoint.ttl()).isEqualTo(Duration.ofSeconds(10));
            assertThat(endpoint.metadata()).isNull();
        });
    }

    @Test
    void serviceNamePropertyWinsOverTheApplicationName() {
        this.runner
            .withPropertyValues("spring.application.name=app", "etcd.discovery.registration.service-name=greeter",
                    "etcd.discovery.registration.port=7443", "etcd.discovery.registration.metadata.zone=a",
                    "etcd.discovery.registration.metadata-encoding=string")
            .run((context) -> {
                GrpcServerEndpoint endpoint = context.getBean(GrpcServerEndpoint.class);
                assertThat(endpoint.service()).isEqualTo("greeter");
                assertThat(endpoint.registrationFor(40000).address()).isEqualTo("127.0.0.1:7443");
                assertThat(endpoint.metadata()).isEqualTo("{\"zone\":\"a\"}");
            });
    }

    @Test
    void missingServiceNameFailsStartupNamingBothProperties() {
        this.runner.run((context) -> assertThat(context).hasFailed()
            .getFailure()
            .rootCause()
            .hasMessageContaining("etcd.discovery.registration.service-name")
            .hasMessageContaining("spring.application.name"));
    }

    @Test
    void disabledRegistrationKeepsOnlyTheRegistry() {
        this.runner.withPropertyValues("etcd.discovery.registration.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    void withoutSpringGrpcOnTheClasspathOnlyTheRegistryExists() {
        this.runner.withClassLoader(new FilteredClassLoader(GrpcServerLifecycle.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    void anApplicationWithoutAServerRegistersNothing() {
        this.runner.withPropertyValues("spring.grpc.server.enabled=false", "spring.application.name=greeter")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(GrpcServerLifecycle.class)
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    void withoutEtcdClientNothingIsConfigured() {
        this.runner.withPropertyValues("etcd.discovery.enabled=false", "spring.application.name=greeter")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(Client.class)
                .doesNotHaveBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    void userBeansReplaceTheDefaults() {
        this.runner.withPropertyValues("spring.application.name=greeter")
            .withUserConfiguration(UserBeans.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(EtcdServiceRegistry.class);
                assertThat(context.getBean(EtcdServiceRegistry.class)).isSameAs(context.getBean("myRegistry"));
                assertThat(context.getBean(GrpcServerEndpoint.class).host()).isEqualTo("10.9.8.7");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class OneService {

        @Bean
        BindableService healthService() {
            return new HealthStatusManager().getHealthService();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        @Bean(destroyMethod = "close")
        EtcdServiceRegistry myRegistry(Client client) {
            return new EtcdServiceRegistry(client, "", Duration.ofSeconds(1), Duration.ofSeconds(5));
        }

        @Bean
        GrpcServerEndpoint myEndpoint() {
            return new GrpcServerEndpoint("greeter", "10.9.8.7", null, null, Duration.ofSeconds(5));
        }
    }
}
