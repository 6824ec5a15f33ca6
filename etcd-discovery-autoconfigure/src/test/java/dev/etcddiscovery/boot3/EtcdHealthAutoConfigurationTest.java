package dev.etcddiscovery.boot3;

import java.time.Duration;
import java.util.List;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.health.EtcdDiscoveryHealthReport;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each condition of {@link EtcdHealthAutoConfiguration}. No etcd is needed: a jetcd client connects on its first
 * call, and no health check runs here.
 */
class EtcdHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class, EtcdHealthAutoConfiguration.class));

    @Test
    void theIndicatorIsNamedSoThatItsComponentIsEtcdDiscovery() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(EtcdDiscoveryHealthIndicator.class)
            .hasBean("etcdDiscoveryHealthIndicator"));
    }

    @Test
    void noIndicatorWithoutActuator() {
        this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EtcdDiscoveryHealthIndicator.class));
    }

    @Test
    void noIndicatorWhenDisabledInCamelCase() {
        this.runner.withPropertyValues("management.health.etcdDiscovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryHealthIndicator.class));
    }

    @Test
    void noIndicatorWhenDefaultIndicatorsAreDisabled() {
        this.runner.withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryHealthIndicator.class));
    }

    @Test
    void noIndicatorWhenTheStarterIsDisabled() {
        this.runner.withPropertyValues("etcd.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryHealthIndicator.class));
    }

    @Test
    void anIndicatorOfTheApplicationNamedLikeOursReplacesIt() {
        this.runner.withUserConfiguration(OwnIndicator.class)
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryHealthIndicator.class)
                .getBean("etcdDiscoveryHealthIndicator", HealthIndicator.class)
                .isSameAs(OwnIndicator.INDICATOR));
    }

    @Test
    void anEtcdDiscoveryHealthIndicatorOfTheApplicationReplacesOurs() {
        this.runner.withUserConfiguration(OwnEtcdIndicator.class)
            .run((context) -> assertThat(context).hasSingleBean(EtcdDiscoveryHealthIndicator.class)
                .hasBean("myEtcdHealth")
                .doesNotHaveBean("etcdDiscoveryHealthIndicator"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIndicator {

        static final HealthIndicator INDICATOR = () -> Health.up().build();

        @Bean
        HealthIndicator etcdDiscoveryHealthIndicator() {
            return INDICATOR;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEtcdIndicator {

        @Bean
        EtcdDiscoveryHealthIndicator myEtcdHealth(Client client) {
            return new EtcdDiscoveryHealthIndicator(
                    new EtcdDiscoveryHealthReport(client, List.of(), Duration.ofSeconds(1), List::of, List::of));
        }
    }
}
