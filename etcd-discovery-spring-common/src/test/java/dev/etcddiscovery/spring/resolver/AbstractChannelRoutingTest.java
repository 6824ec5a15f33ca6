package dev.etcddiscovery.spring.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etcd:/// channels route as etcd.discovery.resolver.* says, with nothing else configured: by the weight and zone
 * servers registered (etcd_routing, the default policy), by a target's query, and with
 * etcd.discovery.resolver.health-check.service-name only to servers whose standard gRPC health service reports
 * SERVING, while their keys stay in etcd; other channels and channels without the property are left alone. Shared
 * by both lines (the Boot 4.1 module compiles it from here); each line's subclass
 * says how its framework's client channels are configured and created.
 */
@EtcdTest
@Tag("slow")
public abstract class AbstractChannelRoutingTest {

    private static final String SERVICE_PREFIX = "hc-greeter/";

    private static final int CALLS = 20;

    /** The service of the routing tests' servers, which register metadata. */
    private static final String ROUTED = "routed-greeter";

    private final EtcdCluster etcd;

    private HealthReportingServer first;

    private HealthReportingServer second;

    protected AbstractChannelRoutingTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    /** The auto-configurations of the line's gRPC client, which create its channels. */
    protected abstract Class<?>[] grpcClientAutoConfigurations();

    /** The properties of a plaintext client channel {@code name} to {@code target}. */
    protected abstract String[] channel(String name, String target);

    /** The channel {@code name}, created by the line's channel factory in {@code context}. */
    protected abstract Channel createChannel(AssertableApplicationContext context, String name);

    /** A context with etcd's, the resolver's and the client's auto-configurations and channel "greeter" to etcd. */
    protected ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class, TestLine.RESOLVER))
            .withConfiguration(AutoConfigurations.of(grpcClientAutoConfigurations()))
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList())
            .withPropertyValues(channel("greeter", "etcd:///hc-greeter"));
    }

    protected HealthReportingServer first() {
        return this.first;
    }

    @BeforeEach
    protected void registerTwoServers() throws Exception {
        this.first = HealthReportingServer.start();
        this.second = HealthReportingServer.start();
        for (HealthReportingServer server : new HealthReportingServer[] { this.first, this.second }) {
            register(SERVICE_PREFIX, server.address(), "null");
        }
    }

    @AfterEach
    protected void stopServers() throws Exception {
        try (Client client = this.etcd.client()) {
            for (String prefix : new String[] { SERVICE_PREFIX, ROUTED + "/" }) {
                client.getKVClient()
                    .delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS);
            }
        }
        this.first.close();
        this.second.close();
    }

    @Test
    protected void aServerThatIsNotServingGetsNoCallsWhileItsKeyStaysAndGetsThemBackWhenServing() {
        runner()
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE)
            .run((context) -> {
                Channel channel = createChannel(context, "greeter");
                awaitBothAnswer(channel);

                this.first.serving(false);
                long notServing = System.nanoTime();
                await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> PortServer.call(channel) == this.second.port()
                            && PortServer.call(channel) == this.second.port());
                System.out.println("NOT_SERVING -> no more calls in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - notServing) + " ms");
                assertThat(portsAnswering(channel)).containsExactly(this.second.port());
                assertThat(registeredAddresses()).contains(this.first.address());

                this.first.serving(true);
                await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(portsAnswering(channel)).contains(this.first.port()));
            });
    }

    @Test
    protected void withoutThePropertyANotServingServerStillGetsCalls() {
        this.first.serving(false);
        runner().run((context) -> awaitBothAnswer(createChannel(context, "greeter")));
    }

    @Test
    protected void channelsToOtherTargetsAreNotHealthChecked() {
        this.first.serving(false);
        runner()
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE)
            .withPropertyValues(channel("direct", "static://" + this.first.address()))
            .run((context) -> assertThat(portsAnswering(createChannel(context, "direct")))
                .containsExactly(this.first.port()));
    }

    @Test
    protected void healthCheckingWithAPolicyThatCannotCheckHealthIsRefused() {
        runner()
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=",
                    "etcd.discovery.resolver.load-balancing-policy=pick_first")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("etcd.discovery.resolver.health-check.service-name needs the etcd_routing or "
                        + "round_robin policy"));
    }

    @Test
    protected void aZoneWhoseServersAreNotServingHandsItsCallsToTheOtherZoneUntilTheyServeAgain() throws Exception {
        register(SERVICE_PREFIX, this.first.address(), "{\"zone\":\"a\"}");
        register(SERVICE_PREFIX, this.second.address(), "{\"zone\":\"b\"}");
        runner()
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE,
                    "etcd.discovery.resolver.zone=a")
            .run((context) -> {
                Channel channel = createChannel(context, "greeter");
                awaitOnly(channel, this.first);
                this.first.serving(false);
                awaitOnly(channel, this.second);
                this.first.serving(true);
                awaitOnly(channel, this.first);
            });
    }

    private static void awaitOnly(Channel channel, HealthReportingServer server) {
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(portsAnswering(channel)).containsExactly(server.port()));
    }

    @Test
    protected void callsFollowTheRegisteredWeightsAndTheClientsZoneFromPropertiesAlone() throws Exception {
        try (PortServer light = PortServer.start(); PortServer heavy = PortServer.start();
                PortServer remote = PortServer.start()) {
            register(light, "{\"zone\":\"a\",\"weight\":\"1\"}");
            register(heavy, "\"{\\\"zone\\\":\\\"a\\\",\\\"weight\\\":\\\"3\\\",\\\"version\\\":\\\"v2\\\"}\"");
            register(remote, "{\"zone\":\"b\"}");
            runner().withPropertyValues(channel("weighted", "etcd:///" + ROUTED))
                .withPropertyValues(channel("v2", "etcd:///" + ROUTED + "?version=v2"))
                .withPropertyValues("etcd.discovery.resolver.zone=a")
                .run((context) -> {
                    Channel channel = createChannel(context, "weighted");
                    await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(counts(channel, 40).keySet())
                            .containsExactlyInAnyOrder(light.port(), heavy.port()));
                    assertThat(counts(channel, 400)).isEqualTo(Map.of(light.port(), 100, heavy.port(), 300));
                    assertThat(counts(createChannel(context, "v2"), 20)).containsOnlyKeys(heavy.port());
                });
            runner().withPropertyValues(channel("weighted", "etcd:///" + ROUTED)).run((context) -> {
                Channel channel = createChannel(context, "weighted");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(counts(channel, 50))
                    .isEqualTo(Map.of(light.port(), 10, heavy.port(), 30, remote.port(), 10)));
            });
        }
    }

    private void register(PortServer server, String metadata) throws Exception {
        register(ROUTED + "/", "127.0.0.1:" + server.port(), metadata);
    }

    private void register(String prefix, String addr, String metadata) throws Exception {
        try (Client client = this.etcd.client()) {
            client.getKVClient()
                .put(bytes(prefix + addr), bytes("{\"Addr\":\"" + addr + "\",\"Metadata\":" + metadata + "}"))
                .get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<Integer, Integer> counts(Channel channel, int calls) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            counts.merge(PortServer.call(channel), 1, Integer::sum);
        }
        return counts;
    }

    /** Waits until calls on {@code channel} reach both servers. */
    protected void awaitBothAnswer(Channel channel) {
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(portsAnswering(channel))
                .containsExactlyInAnyOrder(this.first.port(), this.second.port()));
    }

    protected static Set<Integer> portsAnswering(Channel channel) {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < CALLS; i++) {
            ports.add(PortServer.call(channel));
        }
        return ports;
    }

    private Set<String> registeredAddresses() throws Exception {
        try (Client client = this.etcd.client()) {
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

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
