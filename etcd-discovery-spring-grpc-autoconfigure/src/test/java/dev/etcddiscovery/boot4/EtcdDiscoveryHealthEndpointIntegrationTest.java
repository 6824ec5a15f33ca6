package dev.etcddiscovery.boot4;

import java.time.Duration;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code etcdDiscovery} component of Boot 4's health endpoint against a real etcd: UP with the member count
 * and the endpoints, DOWN with the reason while etcd is stopped, UP again after it is back.
 */
@EtcdTest
@Tag("slow")
class EtcdDiscoveryHealthEndpointIntegrationTest {

    @Test
    void upWithDetailsThenDownWhileEtcdIsStoppedThenUpAgain(EtcdCluster etcd) {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdHealthAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(), "etcd.discovery.request-timeout=2s")
            .run((context) -> {
                HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
                IndicatedHealthDescriptor up = etcdDiscovery(endpoint);
                assertThat(up.getStatus()).isEqualTo(Status.UP);
                assertThat(up.getDetails()).containsEntry("members", 1)
                    .containsKey("endpoints")
                    .containsKey("registrations");

                etcd.stop();
                try {
                    await().atMost(Duration.ofSeconds(30))
                        .until(() -> etcdDiscovery(endpoint).getStatus().equals(Status.DOWN));
                    assertThat((String) etcdDiscovery(endpoint).getDetails().get("error")).startsWith("etcd");
                }
                finally {
                    etcd.restart();
                }
                await().atMost(Duration.ofSeconds(60))
                    .until(() -> etcdDiscovery(endpoint).getStatus().equals(Status.UP));
            });
    }

    private static IndicatedHealthDescriptor etcdDiscovery(HealthEndpoint endpoint) {
        HealthDescriptor health = endpoint.healthForPath("etcdDiscovery");
        assertThat(health).isInstanceOf(IndicatedHealthDescriptor.class);
        return (IndicatedHealthDescriptor) health;
    }
}
