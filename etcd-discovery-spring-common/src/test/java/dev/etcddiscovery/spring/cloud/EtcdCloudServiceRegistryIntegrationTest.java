package dev.etcddiscovery.spring.cloud;

import java.time.Duration;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationStatus;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import dev.etcddiscovery.spring.registration.GrpcServerEndpoint;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/serviceregistry} over the etcd registrations: its status is {@link EtcdServiceRegistry}'s, and
 * setting it takes the key out of etcd and puts it back, against a real etcd.
 */
@EtcdTest
@Tag("slow")
class EtcdCloudServiceRegistryIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final EtcdCluster etcd;

    private final ApplicationContextRunner runner;

    EtcdCloudServiceRegistryIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    TestLine.RESOLVER, TestLine.REGISTRATION,
                    EtcdSpringCloudAutoConfiguration.class, ServiceRegistryAutoConfiguration.class,
                    EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                    "management.endpoints.web.exposure.include=serviceregistry");
    }

    @Test
    void theServiceRegistryEndpointReadsAndSetsTheRegistrationStatus() {
        this.runner.withUserConfiguration(GrpcServer.class).run((context) -> {
            EtcdServiceRegistry registry = context.getBean(EtcdServiceRegistry.class);
            registry.register("registry-svc", "127.0.0.1:7101", null);
            await().atMost(DEADLINE).until(() -> keyExists("registry-svc/127.0.0.1:7101"));
            assertThat(context.getBean(Registration.class).getServiceId()).isEqualTo("registry-svc");
            ServiceRegistryEndpoint endpoint = context.getBean(ServiceRegistryEndpoint.class);
            assertThat(endpoint.getStatus().getBody()).isEqualTo("UP");

            WebEndpointResponse<?> response = endpoint.setStatus("OUT_OF_SERVICE");
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(registry.status()).isEqualTo(RegistrationStatus.OUT_OF_SERVICE);
            assertThat(endpoint.getStatus().getBody()).isEqualTo("OUT_OF_SERVICE");
            await().atMost(DEADLINE).until(() -> !keyExists("registry-svc/127.0.0.1:7101"));

            endpoint.setStatus("UP");
            await().atMost(DEADLINE).until(() -> keyExists("registry-svc/127.0.0.1:7101"));
        });
    }

    @Test
    void anUnknownStatusIsRejectedNamingTheValidOnes() {
        this.runner.run((context) -> assertThatIllegalArgumentException()
            .isThrownBy(() -> context.getBean(EtcdCloudServiceRegistry.class).setStatus(null, "DOWN"))
            .withMessage("status must be UP or OUT_OF_SERVICE, was 'DOWN'"));
    }

    @Test
    void withoutAGrpcServerThereIsARegistryButNoRegistration() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(EtcdCloudServiceRegistry.class)
            .doesNotHaveBean(EtcdRegistration.class));
    }

    private boolean keyExists(String key) {
        return !this.etcd.etcdctl("get", key, "--keys-only").isBlank();
    }

    @Configuration(proxyBeanMethods = false)
    static class GrpcServer {

        @Bean
        GrpcServerEndpoint grpcServerEndpoint() {
            return new GrpcServerEndpoint("registry-svc", "127.0.0.1", 7101, null, Duration.ofSeconds(10));
        }

        @Bean
        GrpcServerAutoRegistration grpcServerAutoRegistration(EtcdServiceRegistry registry,
                GrpcServerEndpoint endpoint) {
            return new GrpcServerAutoRegistration(registry, endpoint, Duration.ofSeconds(5), Duration.ZERO);
        }
    }
}
