package dev.etcddiscovery.boot3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health of an application that logs in to an etcd with auth enabled as the least-privilege user of the README
 * (readwrite on {@code greeter/} only): UP for the right password, DOWN naming the reason for a wrong one, and the
 * password in neither the health JSON nor the logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdDiscoveryHealthAuthIntegrationTest {

    private static EtcdCluster etcd;

    private final ObjectMapper json = new ObjectMapper();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                EtcdRegistrationAutoConfiguration.class, EtcdHealthAutoConfiguration.class,
                EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                HealthEndpointAutoConfiguration.class))
        .withPropertyValues("etcd.discovery.request-timeout=2s", "etcd.discovery.username=greeter",
                "management.endpoint.health.show-details=always");

    @BeforeAll
    static void startEtcdWithAuth() {
        etcd = EtcdCluster.start();
        etcd.etcdctl("user", "add", "root:r00t-s3cret");
        etcd.etcdctl("role", "add", "greeter-rw");
        etcd.etcdctl("role", "grant-permission", "--prefix=true", "greeter-rw", "readwrite", "greeter/");
        etcd.etcdctl("user", "add", "greeter:gr33ter-s3cret");
        etcd.etcdctl("user", "grant-role", "greeter", "greeter-rw");
        etcd.etcdctl("auth", "enable");
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void upForAUserLimitedToItsPrefixWithItsRegistrationAndNoPassword(CapturedOutput output) {
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                "etcd.discovery.password=gr33ter-s3cret")
            .run((context) -> {
                context.getBean(EtcdServiceRegistry.class).register("greeter", "127.0.0.1:50051", null);
                await().until(() -> "REGISTERED".equals(health(context.getBean(HealthEndpoint.class))
                    .at("/details/registrations/0/state")
                    .asText()));
                JsonNode health = health(context.getBean(HealthEndpoint.class));
                assertThat(health.get("status").asText()).isEqualTo("UP");
                assertThat(health.toString()).doesNotContain("s3cret");
            });
        assertThat(output.getAll()).doesNotContain("s3cret");
    }

    @Test
    void downNamingTheReasonForAWrongPasswordWithoutShowingIt(CapturedOutput output) {
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                "etcd.discovery.password=wr0ng-s3cret")
            .run((context) -> {
                JsonNode health = health(context.getBean(HealthEndpoint.class));
                assertThat(health.get("status").asText()).isEqualTo("DOWN");
                assertThat(health.at("/details/error").asText()).isEqualTo("etcd call failed: INVALID_ARGUMENT: "
                        + "etcdserver: authentication failed, invalid user ID or password");
                assertThat(health.toString()).doesNotContain("s3cret");
            });
        assertThat(output.getAll()).doesNotContain("s3cret");
    }

    private JsonNode health(HealthEndpoint endpoint) {
        return this.json.valueToTree(endpoint.healthForPath("etcdDiscovery"));
    }
}
