package dev.etcddiscovery.spring.registration;

import java.time.Duration;
import java.util.Map;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditions of each line's {@code EtcdRegistrationAutoConfiguration} that are the same on both lines, run by each line's
 * {@code EtcdRegistrationAutoConfigurationTest} with its own gRPC server. No etcd is needed: nothing is registered
 * before the application is ready, which a context runner never is.
 */
public abstract class AbstractEtcdRegistrationAutoConfigurationTest {

    /** The line's auto-configurations with a running gRPC server on loopback, registered as 127.0.0.1. */
    protected abstract ApplicationContextRunner runner();

    /** The line's gRPC server lifecycle bean type, whose presence the registration depends on. */
    protected abstract Class<?> serverLifecycle();

    @Test
    protected void theGrpcServerIsRegisteredUnderTheApplicationName() {
        runner().withPropertyValues("spring.application.name=greeter").run((context) -> {
            assertThat(context).hasSingleBean(serverLifecycle())
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
    protected void serviceNamePropertyWinsOverTheApplicationName() {
        runner()
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
    protected void zoneWeightAndVersionAreWrittenBesideTheMetadataInBothEncodings() {
        String[] routing = { "spring.application.name=greeter", "etcd.discovery.registration.metadata.team=blue",
                "etcd.discovery.registration.zone=eu-1a", "etcd.discovery.registration.weight=3",
                "etcd.discovery.registration.version=v2" };
        runner().withPropertyValues(routing)
            .run((context) -> assertThat(context.getBean(GrpcServerEndpoint.class).metadata())
                .isEqualTo(Map.of("team", "blue", "zone", "eu-1a", "weight", "3", "version", "v2")));
        runner().withPropertyValues(routing)
            .withPropertyValues("etcd.discovery.registration.metadata-encoding=string")
            .run((context) -> assertThat(context.getBean(GrpcServerEndpoint.class).metadata()).isEqualTo(
                    "{\"team\":\"blue\",\"zone\":\"eu-1a\",\"weight\":\"3\",\"version\":\"v2\"}"));
    }

    @Test
    protected void missingServiceNameFailsStartupNamingBothProperties() {
        runner().run((context) -> assertThat(context).hasFailed()
            .getFailure()
            .rootCause()
            .hasMessageContaining("etcd.discovery.registration.service-name")
            .hasMessageContaining("spring.application.name"));
    }

    @Test
    protected void ttlBelowOneSecondFailsStartupNamingTheProperty() {
        runner().withPropertyValues("spring.application.name=greeter", "etcd.discovery.registration.ttl=500ms")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("etcd.discovery.registration.ttl"));
    }

    @Test
    protected void disabledRegistrationKeepsOnlyTheRegistry() {
        runner().withPropertyValues("etcd.discovery.registration.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    protected void withoutTheServerLifecycleOnTheClasspathOnlyTheRegistryExists() {
        runner().withClassLoader(new FilteredClassLoader(serverLifecycle()))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    protected void withoutEtcdClientNothingIsConfigured() {
        runner().withPropertyValues("etcd.discovery.enabled=false", "spring.application.name=greeter")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(Client.class)
                .doesNotHaveBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Test
    protected void userBeansReplaceTheDefaults() {
        runner().withPropertyValues("spring.application.name=greeter")
            .withUserConfiguration(UserBeans.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(EtcdServiceRegistry.class);
                assertThat(context.getBean(EtcdServiceRegistry.class)).isSameAs(context.getBean("myRegistry"));
                assertThat(context.getBean(GrpcServerEndpoint.class).host()).isEqualTo("10.9.8.7");
            });
    }

    @Configuration(proxyBeanMethods = false)
    protected static class UserBeans {

        @Bean(destroyMethod = "close")
        EtcdServiceRegistry myRegistry(Client client) {
            return EtcdServiceRegistry.builder(client)
                .requestTimeout(Duration.ofSeconds(1))
                .defaultTtl(Duration.ofSeconds(5))
                .build();
        }

        @Bean
        GrpcServerEndpoint myEndpoint() {
            return new GrpcServerEndpoint("greeter", "10.9.8.7", null, null, Duration.ofSeconds(5));
        }
    }
}
