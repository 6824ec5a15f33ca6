package dev.etcddiscovery.boot3;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.metrics.EtcdDiscoveryMetrics;
import dev.etcddiscovery.spring.registration.AbstractEtcdRegistrationAutoConfigurationTest;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration;
import net.devh.boot.grpc.server.serverfactory.GrpcServerLifecycle;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each condition of {@link EtcdRegistrationAutoConfiguration} with grpc-spring's server: the shared ones, and
 * those of this line.
 */
class EtcdRegistrationAutoConfigurationTest extends AbstractEtcdRegistrationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                EtcdRegistrationAutoConfiguration.class, GrpcServerAutoConfiguration.class,
                GrpcServerFactoryAutoConfiguration.class))
        .withPropertyValues("grpc.server.port=0", "grpc.server.address=127.0.0.1",
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
    void clientOnlyApplicationWithoutServerBeanRegistersNothing() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdRegistrationAutoConfiguration.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class));
    }

    /** enabled=false turns everything off, also with the application's own jetcd client (which we do not close). */
    @Test
    void disabledStarterRegistersNothingEvenWithTheApplicationsOwnClient() {
        this.runner
            .withConfiguration(AutoConfigurations.of(EtcdHealthAutoConfiguration.class,
                    EtcdMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.enabled=false", "spring.application.name=greeter")
            .withBean("userClient", Client.class, () -> Client.builder().endpoints("http://127.0.0.1:1").build())
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(Client.class)
                .hasSingleBean(MeterRegistry.class)
                .doesNotHaveBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(GrpcServerAutoRegistration.class)
                .doesNotHaveBean(EtcdDiscoveryHealthIndicator.class)
                .doesNotHaveBean(EtcdDiscoveryMetrics.class));
    }
}
