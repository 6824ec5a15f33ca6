package dev.etcddiscovery.spring.registration;

import java.time.Duration;
import java.util.Map;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationStatus;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The conditions of the {@code etcdregistration} endpoint, the readiness listener and the drain delay. No etcd is
 * needed: nothing is registered, and the endpoint's answers come from the registry's memory.
 */
class EtcdRegistrationEndpointAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                TestLine.REGISTRATION));

    @Test
    void endpointExistsWhenExposed() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=etcdregistration")
            .run((context) -> assertThat(context).hasSingleBean(EtcdRegistrationEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenNotExposed() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(EtcdServiceRegistry.class)
            .doesNotHaveBean(EtcdRegistrationEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenItsAccessIsNone() {
        this.runner
            .withPropertyValues("management.endpoints.web.exposure.include=etcdregistration",
                    "management.endpoint.etcdregistration.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdRegistrationEndpoint.class));
    }

    @Test
    void endpointIsAbsentWithoutActuator() {
        this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
            .withPropertyValues("management.endpoints.web.exposure.include=etcdregistration")
            .run((context) -> assertThat(context).hasSingleBean(EtcdServiceRegistry.class)
                .doesNotHaveBean(EtcdRegistrationEndpoint.class));
    }

    @Test
    void endpointIsAbsentWithRegistrationOff() {
        this.runner
            .withPropertyValues("management.endpoints.web.exposure.include=etcdregistration",
                    "etcd.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdRegistrationEndpoint.class)
                .doesNotHaveBean(ReadinessRegistrationListener.class));
    }

    @Test
    void statusIsSetForTheRegistryAndBadStatusNamesTheChoices() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=etcdregistration")
            .run((context) -> {
                EtcdRegistrationEndpoint endpoint = context.getBean(EtcdRegistrationEndpoint.class);
                assertThat(endpoint.registrations().status()).isEqualTo("UP");
                assertThat(endpoint.setStatus("out_of_service").status()).isEqualTo("OUT_OF_SERVICE");
                assertThat(context.getBean(EtcdServiceRegistry.class).status())
                    .isEqualTo(RegistrationStatus.OUT_OF_SERVICE);
                assertThatThrownBy(() -> endpoint.setStatus("DOWN")).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessageContaining("UP or OUT_OF_SERVICE")
                    .hasMessageContaining("'DOWN'");
            });
    }

    @Test
    void readinessIsFollowedByDefaultAndCanBeTurnedOff() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(ReadinessRegistrationListener.class));
        this.runner.withPropertyValues("etcd.discovery.registration.follow-readiness=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ReadinessRegistrationListener.class));
    }

    @Test
    void negativeDrainDelayFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues("etcd.discovery.registration.drain-delay=-1s")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("drainDelay")
                .hasMessageContaining("zero"));
    }

    @Test
    void drainDelayIsBoundedByTheShutdownPhaseTimeout() {
        StandardEnvironment environment = new StandardEnvironment();
        assertThat(DrainDelay.boundedByShutdownPhase(Duration.ofSeconds(40), environment))
            .isEqualTo(Duration.ofSeconds(30));
        // a property source, not MockEnvironment.setProperty: its signature differs between Spring 6 and 7
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(DrainDelay.PHASE_TIMEOUT, "5s")));
        assertThat(DrainDelay.boundedByShutdownPhase(Duration.ofSeconds(10), environment))
            .isEqualTo(Duration.ofSeconds(5));
        assertThat(DrainDelay.boundedByShutdownPhase(Duration.ofSeconds(2), environment))
            .isEqualTo(Duration.ofSeconds(2));
    }
}
