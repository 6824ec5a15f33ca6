package dev.etcddiscovery.boot4;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.registration.AbstractEtcdRegistrationAutoConfigurationTest;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each condition of {@link EtcdRegistrationAutoConfiguration} with Spring gRPC's server: the shared ones, and those
 * of this line.
 */
class EtcdRegistrationAutoConfigurationTest extends AbstractEtcdRegistrationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
                EtcdRegistrationAutoConfiguration.class, GrpcServerAutoConfiguration.class))
        .withUserConfiguration(OneService.class)
        .withPropertyValues("spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
                "etcd.discovery.registration.host=127.0.0.1");

    @Override
    protected ApplicationContextRunner runner() {
        return this.runner;
    }

    @Override
    protected Class<?> serverLifecycle() {
        return GrpcServerLifecycle.class;
    }

    @Test
    void anApplicationWithoutAServerRegistersNothing() {
        this.runner.withPropertyValues("spring.grpc.server.enabled=false", "spring.application.name=greeter")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(GrpcServerLifecycle.class)
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OneService {

        @Bean
        BindableService healthService() {
            return new HealthStatusManager().getHealthService();
        }
    }
}
