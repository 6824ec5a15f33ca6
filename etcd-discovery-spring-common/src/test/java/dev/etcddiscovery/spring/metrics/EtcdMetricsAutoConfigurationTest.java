package dev.etcddiscovery.spring.metrics;

import java.time.Duration;
import java.util.List;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each condition of each line's {@code EtcdMetricsAutoConfiguration}. No etcd is needed: with no target or registration yet,
 * binding registers no meter and calls nothing.
 */
class EtcdMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                TestLine.RESOLVER, TestLine.REGISTRATION,
                TestLine.BOOT_METRICS, TestLine.METRICS));

    @Test
    void theMetricsAreBoundToTheMeterRegistry() {
        this.runner.withUserConfiguration(Registry.class).run((context) -> {
            assertThat(context).hasSingleBean(EtcdDiscoveryMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find("etcd.discovery.resolver.endpoints").meters())
                .isEmpty();
        });
    }

    @Test
    void noMetricsWithoutAMeterRegistryBean() {
        this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EtcdDiscoveryMetrics.class));
    }

    @Test
    void noMetricsWithoutMicrometer() {
        this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EtcdDiscoveryMetrics.class));
    }

    @Test
    void noMetricsWhenTheStarterIsDisabled() {
        this.runner.withUserConfiguration(Registry.class)
            .withPropertyValues("etcd.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryMetrics.class));
    }

    @Test
    void metricsOfTheApplicationReplaceOurs() {
        this.runner.withUserConfiguration(Registry.class, OwnMetrics.class)
            .run((context) -> assertThat(context).getBean(EtcdDiscoveryMetrics.class)
                .isSameAs(context.getBean(OwnMetrics.class).metrics));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {

        final EtcdDiscoveryMetrics metrics = new EtcdDiscoveryMetrics(List::of, List::of, Duration.ofMinutes(1));

        @Bean
        EtcdDiscoveryMetrics ownEtcdDiscoveryMetrics() {
            return this.metrics;
        }
    }
}
