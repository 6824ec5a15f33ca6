package dev.etcddiscovery.boot3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationHandle;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.health.EtcdDiscoveryHealthReport;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code etcdDiscovery} health of an application with registration, resolver and actuator, against a real
 * etcd that is killed and restarted, read through the health endpoint as JSON (as {@code /actuator/health} shows it).
 */
@EtcdTest
@Tag("slow")
class EtcdDiscoveryHealthIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EtcdCluster etcd;

    private final ApplicationContextRunner runner;

    private final ObjectMapper json = new ObjectMapper();

    EtcdDiscoveryHealthIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdResolverAutoConfiguration.class, EtcdRegistrationAutoConfiguration.class,
                    EtcdHealthAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class,
                    AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                    "etcd.discovery.request-timeout=1s", "management.endpoint.health.show-details=always",
                    "management.endpoint.health.probes.enabled=true");
    }

    @Test
    void detailsShowTheRegistrationAndTheResolvedTargetAfterRealEvents() {
        this.runner.run((context) -> {
            RegistrationHandle registration = context.getBean(EtcdServiceRegistry.class)
                .register("health-svc", "127.0.0.1:50051", null);
            await().atMost(DEADLINE)
                .until(() -> "REGISTERED".equals(etcdHealth(context).at("/details/registrations/0/state").asText()));
            JsonNode registered = etcdHealth(context).at("/details/registrations/0");
            assertThat(registered.get("key").asText()).isEqualTo("health-svc/127.0.0.1:50051");
            // as etcdctl shows it, e.g. "lease 0322a21d7155f706 granted with TTL(10s), remaining(9s)"
            long lease = registration.snapshot().leaseId();
            assertThat(registered.get("leaseId").asText())
                .isEqualTo(this.etcd.etcdctl("lease", "timetolive", Long.toHexString(lease)).split(" ")[1]);
            assertThat(registered.get("ttlSeconds").asLong()).isEqualTo(10);
            assertThat(registered.get("ttlLeftSeconds").asLong()).isBetween(1L, 10L);

            EtcdNameResolverProvider provider = context.getBean(EtcdNameResolverProvider.class);
            NameResolverRegistry.getDefaultRegistry().register(provider);
            ManagedChannel channel = NettyChannelBuilder.forTarget("etcd:///health-svc").usePlaintext().build();
            try {
                channel.getState(true);
                await().atMost(DEADLINE)
                    .until(() -> etcdHealth(context).at("/details/targets/0/endpoints").asInt() == 1);
                JsonNode target = etcdHealth(context).at("/details/targets/0");
                assertThat(target.get("prefix").asText()).isEqualTo("health-svc/");
                assertThat(target.get("healthy").asBoolean()).isTrue();
                assertThat(target.get("lastUpdate").asText()).isNotBlank();

                put("health-svc/127.0.0.1:50052", "{\"Addr\":\"127.0.0.1:50052\"}");
                await().atMost(DEADLINE)
                    .until(() -> etcdHealth(context).at("/details/targets/0/endpoints").asInt() == 2);
            }
            finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                NameResolverRegistry.getDefaultRegistry().deregister(provider);
            }

            JsonNode health = etcdHealth(context);
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.at("/details/members").asInt()).isEqualTo(1);
            assertThat(health.at("/details/endpoints/0").asText()).isEqualTo(this.etcd.endpoints().get(0));
            registration.close();
        });
    }

    @Test
    void livenessAndReadinessGroupsLeaveItOut() {
        this.runner.run((context) -> {
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            assertThat(toJson(endpoint.health()).at("/components").has("etcdDiscovery")).isTrue();
            assertThat(toJson(endpoint.healthForPath("liveness")).at("/components").has("etcdDiscovery")).isFalse();
            assertThat(toJson(endpoint.healthForPath("readiness")).at("/components").has("etcdDiscovery")).isFalse();
        });
        this.runner
            .withPropertyValues("management.endpoint.health.group.readiness.include=readinessState,etcdDiscovery")
            .run((context) -> assertThat(toJson(context.getBean(HealthEndpoint.class).healthForPath("readiness"))
                .at("/components")
                .has("etcdDiscovery")).isTrue());
    }

    @Test
    void downWithTheReasonWhileEtcdIsKilledThenUpAgainAfterItsRestart() {
        this.runner.run((context) -> {
            assertThat(etcdHealth(context).get("status").asText()).isEqualTo("UP");
            this.etcd.kill();
            try {
                await().atMost(DEADLINE).until(() -> "DOWN".equals(etcdHealth(context).get("status").asText()));
                JsonNode down = etcdHealth(context);
                assertThat(down.at("/details/error").asText()).isEqualTo("etcd did not answer within 1000 ms");
                assertThat(down.at("/details/endpoints/0").asText()).isEqualTo(this.etcd.endpoints().get(0));
            }
            finally {
                this.etcd.restart();
            }
            await().atMost(DEADLINE).until(() -> "UP".equals(etcdHealth(context).get("status").asText()));
        });
    }

    @Test
    void endpointsAreShownWithoutUserInfo() throws Exception {
        URI endpoint = URI.create(this.etcd.endpoints().get(0));
        URI withUserInfo = URI.create("http://app:s3cret@" + endpoint.getHost() + ":" + endpoint.getPort());
        try (Client client = this.etcd.client()) {
            EtcdDiscoveryHealthIndicator indicator = new EtcdDiscoveryHealthIndicator(new EtcdDiscoveryHealthReport(
                    client, List.of(withUserInfo), Duration.ofSeconds(5), List::of, List::of));
            String health = this.json.writeValueAsString(indicator.health());
            assertThat(health).doesNotContain("s3cret").doesNotContain("app@").contains("\"UP\"");
            assertThat(this.json.readTree(health).at("/details/endpoints"))
                .containsExactly(this.json.valueToTree(endpoint.toString()));
        }
    }

    private JsonNode etcdHealth(AssertableApplicationContext context) {
        return toJson(context.getBean(HealthEndpoint.class).healthForPath("etcdDiscovery"));
    }

    private JsonNode toJson(Object health) {
        return this.json.valueToTree(health);
    }

    private void put(String key, String value) throws Exception {
        try (Client client = this.etcd.client()) {
            client.getKVClient()
                .put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value, StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS);
        }
    }
}
