package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etcd.discovery.resolver.health-check.service-name on Spring gRPC's channels: etcd:/// channels send calls only to
 * servers whose standard gRPC health service reports SERVING, while their keys stay in etcd; other channels,
 * channels without the property and channels with a health check of their own are left alone. And
 * etcd.discovery.resolver.load-balancing-policy wins over the channel's default policy, as on the Boot 3.5 line.
 */
@EtcdTest
class HealthCheckedRoutingTest {

    private static final String SERVICE_PREFIX = "hc-greeter/";

    private static final int CALLS = 20;

    private final EtcdCluster etcd;

    private final ApplicationContextRunner runner;

    private HealthReportingServer first;

    private HealthReportingServer second;

    HealthCheckedRoutingTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdResolverAutoConfiguration.class, SslAutoConfiguration.class, GrpcClientAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                    "spring.grpc.client.channel.greeter.target=etcd:///hc-greeter");
    }

    @BeforeEach
    void registerTwoServers() throws Exception {
        this.first = HealthReportingServer.start();
        this.second = HealthReportingServer.start();
        try (Client client = etcdClient()) {
            for (HealthReportingServer server : new HealthReportingServer[] { this.first, this.second }) {
                client.getKVClient()
                    .put(bytes(SERVICE_PREFIX + server.address()), bytes("{\"Addr\":\"" + server.address() + "\"}"))
                    .get(10, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stopServers() throws Exception {
        try (Client client = etcdClient()) {
            client.getKVClient()
                .delete(bytes(SERVICE_PREFIX), DeleteOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS);
        }
        this.first.close();
        this.second.close();
    }

    @Test
    void aServerThatIsNotServingGetsNoCallsWhileItsKeyStaysAndGetsThemBackWhenServing() {
        this.runner.withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE)
            .run((context) -> {
                Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("greeter");
                await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(portsAnswering(channel))
                        .containsExactlyInAnyOrder(this.first.port(), this.second.port()));

                this.first.serving(false);
                await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> PortServer.call(channel) == this.second.port()
                            && PortServer.call(channel) == this.second.port());
                assertThat(portsAnswering(channel)).containsExactly(this.second.port());
                assertThat(registeredAddresses()).contains(this.first.address());

                this.first.serving(true);
                await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(portsAnswering(channel)).contains(this.first.port()));
            });
    }

    @Test
    void withoutThePropertyANotServingServerStillGetsCalls() {
        this.first.serving(false);
        this.runner.run((context) -> awaitBothAnswer(context.getBean(GrpcChannelFactory.class).createChannel("greeter")));
    }

    @Test
    void aHealthCheckOfTheChannelsOwnWins() {
        // the channel asks about the whole server (""), which stays SERVING
        this.first.serving(false);
        this.runner
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE,
                    "spring.grpc.client.channel.greeter.health.enabled=true",
                    "spring.grpc.client.channel.greeter.health.service-name=")
            .run((context) -> awaitBothAnswer(context.getBean(GrpcChannelFactory.class).createChannel("greeter")));
    }

    @Test
    void channelsToOtherTargetsAreNotHealthChecked() {
        this.first.serving(false);
        this.runner
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE,
                    "spring.grpc.client.channel.direct.target=static://" + this.first.address())
            .run((context) -> assertThat(
                    portsAnswering(context.getBean(GrpcChannelFactory.class).createChannel("direct")))
                .containsExactly(this.first.port()));
    }

    @Test
    void healthCheckingWithAnotherPolicyThanRoundRobinIsRefused() {
        this.runner
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=",
                    "etcd.discovery.resolver.load-balancing-policy=pick_first")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("etcd.discovery.resolver.health-check.service-name needs the round_robin policy"));
    }

    @Test
    void theResolversPolicyWinsOverTheChannelsDefaultPolicy() {
        this.runner
            .withPropertyValues("etcd.discovery.resolver.load-balancing-policy=pick_first",
                    "spring.grpc.client.channel.greeter.default.load-balancing-policy=round_robin")
            .run((context) -> {
                Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("greeter");
                PortServer.call(channel);
                // round_robin, connected to one server, connects to the other at once: these calls would reach it
                for (int i = 0; i < 5; i++) {
                    assertThat(portsAnswering(channel)).hasSize(1);
                }
            });
        this.runner.run((context) -> awaitBothAnswer(context.getBean(GrpcChannelFactory.class).createChannel("greeter")));
    }

    private void awaitBothAnswer(Channel channel) {
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(portsAnswering(channel))
                .containsExactlyInAnyOrder(this.first.port(), this.second.port()));
    }

    private static Set<Integer> portsAnswering(Channel channel) {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < CALLS; i++) {
            ports.add(PortServer.call(channel));
        }
        return ports;
    }

    private Set<String> registeredAddresses() throws Exception {
        try (Client client = etcdClient()) {
            Set<String> addresses = new HashSet<>();
            client.getKVClient()
                .get(bytes(SERVICE_PREFIX), GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS)
                .getKvs()
                .forEach((kv) -> addresses
                    .add(kv.getKey().toString(StandardCharsets.UTF_8).substring(SERVICE_PREFIX.length())));
            return addresses;
        }
    }

    private Client etcdClient() {
        return Client.builder().endpoints(this.etcd.endpoints().toArray(String[]::new)).build();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
