package dev.etcddiscovery.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.LogCapture;
import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The etcd_routing policy chosen by a plain grpc-java service config, against a real etcd and real gRPC servers on
 * loopback. Each test registers its servers under a service of its own. Slow: it starts etcd and waits for changes
 * to reach the channels (the quick lane keeps WeightedScheduleTest and EndpointMetadataTest). Tagged
 * library-versions: the policy stands on grpc-java's {@code MultiChildLoadBalancer} ({@code @Internal}) and
 * pick_first, so it is rerun on each line's grpc-java.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class EtcdRoutingIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static Client client;

    private static ServiceDirectory directory;

    private static EtcdNameResolverProvider provider;

    private final List<ManagedChannel> channels = new ArrayList<>();

    private final List<PortServer> servers = new ArrayList<>();

    @BeforeAll
    static void connect(EtcdCluster cluster) {
        client = cluster.client();
        directory = ServiceDirectory.builder(client).build();
        provider = new EtcdNameResolverProvider(directory, "");
        NameResolverRegistry.getDefaultRegistry().register(provider);
    }

    @AfterAll
    static void disconnect() {
        NameResolverRegistry.getDefaultRegistry().deregister(provider);
        directory.close();
        client.close();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : this.channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        for (PortServer server : this.servers) {
            server.close();
        }
    }

    /** 10,000 calls; the schedule's exactness is also proven without a channel (WeightedScheduleTest). */
    @Test
    void callsSpreadByWeightExactlyAndAMalformedWeightCountsAsOne() throws Exception {
        try (LogCapture log = new LogCapture("dev.etcddiscovery.routing")) {
            PortServer light = server("weights", "{\"weight\":1}");
            // the JSON-string form etcdctl users and Go's endpoints.Manager write for etcd's Go resolver
            PortServer heavy = server("weights", "\"{\\\"weight\\\":\\\"3\\\"}\"");
            PortServer malformed = server("weights", "{\"weight\":\"heavy\"}");
            ManagedChannel channel = channel("etcd:///weights", Map.of());
            awaitReaching(channel, light, heavy, malformed);

            Map<Integer, Integer> counts = counts(channel, 10_000);
            assertThat(counts.get(light.port())).isCloseTo(2_000, withinTwoPercent());
            assertThat(counts.get(heavy.port())).isCloseTo(6_000, withinTwoPercent());
            assertThat(counts.get(malformed.port())).isCloseTo(2_000, withinTwoPercent());
            assertThat(log.atLeast(Level.WARN)).singleElement().asString()
                .contains("weights/127.0.0.1:" + malformed.port()).contains("weight 'heavy'");
        }
    }

    @Test
    void aWeightChangedInEtcdAppliesWithoutReconnecting() throws Exception {
        PortServer first = server("reweigh", "{\"weight\":1}");
        PortServer second = server("reweigh", "{\"weight\":1}");
        ManagedChannel channel = channel("etcd:///reweigh", Map.of());
        awaitReaching(channel, first, second);
        assertThat(counts(channel, 100)).containsEntry(first.port(), 50).containsEntry(second.port(), 50);

        register("reweigh", second, "{\"weight\":4}");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(counts(channel, 100))
            .containsEntry(first.port(), 20).containsEntry(second.port(), 80));
        assertThat(first.connections()).isOne();
        assertThat(second.connections()).isOne();
    }

    @Test
    void withEveryWeightOneAndNoZoneCallsTakeTurnsAsRoundRobin() throws Exception {
        PortServer a = server("plain", "null");
        PortServer b = server("plain", "\"...\"");
        PortServer c = server("plain", "{\"zone\":\"x\"}");
        ManagedChannel channel = channel("etcd:///plain", Map.of());
        awaitReaching(channel, a, b, c);
        assertThat(counts(channel, 300).values()).containsOnly(100);
    }

    @Test
    void callsStayInTheClientsZoneMoveOutWhenItIsGoneAndComeBack() throws Exception {
        PortServer localA = server("zones", "{\"zone\":\"a\"}");
        PortServer localB = server("zones", "{\"zone\":\"a\",\"weight\":3}");
        PortServer remote = server("zones", "{\"zone\":\"b\"}");
        PortServer zoneless = server("zones", "{}");
        ManagedChannel channel = channel("etcd:///zones", Map.of("zone", "a"));
        awaitReaching(channel, localA, localB);
        assertThat(counts(channel, 400)).containsOnlyKeys(localA.port(), localB.port())
            .containsEntry(localA.port(), 100);

        try (Calls calls = new Calls(channel)) {
            unregister("zones", localA);
            unregister("zones", localB);
            await().atMost(DEADLINE).until(() -> calls.portsSinceReset().equals(Set.of(remote.port(),
                    zoneless.port())) || calls.reset());
            register("zones", localA, "{\"zone\":\"a\"}");
            await().atMost(DEADLINE).until(() -> calls.portsSinceReset().equals(Set.of(localA.port()))
                    || calls.reset());
            assertThat(calls.failures).isEmpty();
        }
    }

    @Test
    void theZoneThresholdSpreadsCallsWhenTooFewLocalServersAreLeft() throws Exception {
        PortServer localA = server("threshold", "{\"zone\":\"a\"}");
        PortServer localB = server("threshold", "{\"zone\":\"a\"}");
        PortServer remote = server("threshold", "{\"zone\":\"b\"}");
        ManagedChannel channel = channel("etcd:///threshold", Map.of("zone", "a", "zoneThreshold", 2.0));
        awaitReaching(channel, localA, localB);
        assertThat(counts(channel, 100)).containsOnlyKeys(localA.port(), localB.port());

        unregister("threshold", localB);
        awaitReaching(channel, localA, remote);
        assertThat(counts(channel, 100)).containsOnlyKeys(localA.port(), remote.port());
    }

    @Test
    void aTargetsQueryKeepsTheServersWithThatMetadataAndFailsNamingItWhenNoneHas() throws Exception {
        PortServer v1 = server("versions", "{\"version\":\"v1\"}");
        PortServer v2 = server("versions", "\"{\\\"version\\\":\\\"v2\\\"}\"");
        ManagedChannel channel = channel("etcd:///versions?version=v2", Map.of());
        awaitReaching(channel, v2);
        assertThat(counts(channel, 20)).containsOnlyKeys(v2.port());

        ManagedChannel none = channel("etcd:///versions?version=v9", Map.of());
        await().atMost(DEADLINE).untilAsserted(() -> assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> PortServer.call(none))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
            .withMessageContaining("match the filter 'version=v9'"));
    }

    @Test
    void aCanaryGetsOnlyCallsWhoseRouteHeaderMatchesIt() throws Exception {
        PortServer stable = server("canary", "{\"version\":\"v1\"}");
        PortServer canary = server("canary", "{\"version\":\"v2\",\"canary\":\"true\"}");
        ManagedChannel channel = channel("etcd:///canary", Map.of());
        Channel toV2 = routed(channel, "x-etcd-route", "version=v2");
        awaitReaching(toV2, canary);
        assertThat(counts(toV2, 20)).containsOnlyKeys(canary.port());
        assertThat(counts(channel, 20)).containsOnlyKeys(stable.port());
        assertThat(counts(routed(channel, "x-etcd-route", "version=v1"), 20)).containsOnlyKeys(stable.port());

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> PortServer.call(routed(channel, "x-etcd-route", "version=v9")))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
            .withMessageContaining("no usable server matches x-etcd-route: version=v9");
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> PortServer.call(routed(channel, "x-etcd-route", "v2")))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL))
            .withMessageContaining("header x-etcd-route: 'v2' in 'v2' is not name=value");
    }

    @Test
    void theRouteHeaderIsConfigurable() throws Exception {
        PortServer stable = server("header", "{}");
        PortServer canary = server("header", "{\"canary\":true}");
        ManagedChannel channel = channel("etcd:///header", Map.of("routeHeader", "x-lane"));
        Channel toCanary = routed(channel, "x-lane", "canary=true");
        awaitReaching(toCanary, canary);
        assertThat(counts(routed(channel, "x-etcd-route", "canary=true"), 20)).containsOnlyKeys(stable.port());
    }

    /** A server on loopback, registered under {@code service} with the given Metadata JSON. */
    private PortServer server(String service, String metadataJson) throws Exception {
        PortServer server = PortServer.start();
        this.servers.add(server);
        register(service, server, metadataJson);
        return server;
    }

    private ManagedChannel channel(String target, Map<String, ?> config) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(target)
            .defaultServiceConfig(Map.of("loadBalancingConfig",
                    List.of(Map.of(EtcdRoutingLoadBalancerProvider.POLICY_NAME, config))))
            .usePlaintext()
            .build();
        this.channels.add(channel);
        return channel;
    }

    private static Channel routed(Channel channel, String header, String route) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(header, Metadata.ASCII_STRING_MARSHALLER), route);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static void register(String service, PortServer server, String metadataJson) throws Exception {
        String addr = "127.0.0.1:" + server.port();
        client.getKVClient().put(bytes(service + "/" + addr),
                bytes("{\"Addr\":\"" + addr + "\",\"Metadata\":" + metadataJson + "}")).get(10, TimeUnit.SECONDS);
    }

    private static void unregister(String service, PortServer server) throws Exception {
        client.getKVClient().delete(bytes(service + "/127.0.0.1:" + server.port())).get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** Waits until calls reach every one of {@code servers} within a round of calls. */
    private static void awaitReaching(Channel channel, PortServer... servers) {
        Set<Integer> ports = new java.util.HashSet<>();
        for (PortServer server : servers) {
            ports.add(server.port());
        }
        await().atMost(DEADLINE).ignoreExceptionsInstanceOf(StatusRuntimeException.class)
            .untilAsserted(() -> assertThat(counts(channel, 40).keySet()).isEqualTo(ports));
    }

    private static Map<Integer, Integer> counts(Channel channel, int calls) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            counts.merge(PortServer.call(channel), 1, Integer::sum);
        }
        return counts;
    }

    private static org.assertj.core.data.Offset<Integer> withinTwoPercent() {
        return org.assertj.core.data.Offset.offset(200);
    }

    /** Calls on a thread of their own, keeping the ports that answered since the last reset, and every failure. */
    private static final class Calls implements AutoCloseable {

        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        private final Set<Integer> ports = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private final AtomicBoolean running = new AtomicBoolean(true);

        private final Thread thread;

        Calls(Channel channel) {
            this.thread = new Thread(() -> {
                while (this.running.get()) {
                    try {
                        this.ports.add(PortServer.call(channel));
                    }
                    catch (RuntimeException ex) {
                        this.failures.add(ex);
                    }
                }
            }, "routing-calls");
            this.thread.start();
        }

        Set<Integer> portsSinceReset() {
            return Set.copyOf(this.ports);
        }

        /** Forgets the ports seen so far; false, so that an await goes on. */
        boolean reset() {
            this.ports.clear();
            return false;
        }

        @Override
        public void close() throws InterruptedException {
            this.running.set(false);
            this.thread.join();
        }
    }
}
