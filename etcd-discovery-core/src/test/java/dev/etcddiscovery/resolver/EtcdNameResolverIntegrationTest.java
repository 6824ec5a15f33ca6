package dev.etcddiscovery.resolver;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Channels built by hand for {@code etcd:///} targets, against a real etcd and real gRPC servers.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class EtcdNameResolverIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static Client client;

    private static EtcdCluster etcd;

    @BeforeAll
    static void connect(EtcdCluster cluster) {
        etcd = cluster;
        client = cluster.client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void theSeedsEtcdctlCommandsDriveALiveChannel() throws Exception {
        try (PortServer server = PortServer.start(); EtcdChannels channels = new EtcdChannels(client, "", null)) {
            ManagedChannel channel = channels.channel("etcd:///my-service");
            String addr = "127.0.0.1:" + server.port();
            assertFailsForEmptyService(channel, "my-service/");

            String value = "{\"Addr\":\"" + addr + "\",\"Metadata\":\"...\"}";
            etcd.etcdctl("put", "my-service/" + addr, value);
            // until the resolver has seen the put, a call fails UNAVAILABLE: wait through that
            await().atMost(DEADLINE)
                .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
                .untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(server.port()));

            etcd.etcdctl("del", "my-service/" + addr);
            await().atMost(DEADLINE).untilAsserted(() -> assertFailsForEmptyService(channel, "my-service/"));

            // "lease 694d77aa9e38260f granted with TTL(5s)"
            String lease = etcd.etcdctl("lease", "grant", "5").split(" ")[1];
            etcd.etcdctl("put", "--lease=" + lease, "my-service/" + addr, value);
            Process keepAlive = etcd.etcdctlInBackground("lease", "keep-alive", lease);
            try {
                await().atMost(DEADLINE)
                    .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
                    .untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(server.port()));
            }
            finally {
                keepAlive.destroyForcibly().waitFor();
            }
            // without keep-alives the lease expires, etcd deletes the key and the service is empty again
            await().atMost(DEADLINE).untilAsserted(() -> assertFailsForEmptyService(channel, "my-service/"));
        }
    }

    @Test
    void theSeedsPortlessAddrNeedsTheDefaultPort() throws Exception {
        etcd.etcdctl("put", "seed/1.2.3.4", "{\"Addr\":\"1.2.3.4\",\"Metadata\":\"...\"}");
        try (EtcdChannels withoutDefault = new EtcdChannels(client, "", null);
                EtcdChannels withDefault = new EtcdChannels(client, "", 8080)) {
            Recorder skipped = follow(withoutDefault, "seed/");
            Recorder used = follow(withDefault, "seed/");

            await().atMost(DEADLINE).until(() -> used.endpoints != null && skipped.endpoints != null);
            assertThat(skipped.endpoints).isEmpty();
            assertThat(withoutDefault.snapshot("seed/").malformedValuesSkipped()).isOne();
            EquivalentAddressGroup group = used.endpoints.get(0);
            assertThat(group.getAddresses()).containsExactly(new InetSocketAddress("1.2.3.4", 8080));
            assertThat(group.getAttributes().get(EtcdAttributes.METADATA)).isEqualTo("...");
            assertThat(group.getAttributes().get(EtcdAttributes.ETCD_KEY)).isEqualTo("seed/1.2.3.4");
        }
    }

    @Test
    void bothValueShapesHostNamesAndIpv6WorkAmongMalformedValues() throws Exception {
        try (PortServer ipv4 = PortServer.start(); PortServer named = PortServer.start();
                PortServer ipv6 = PortServer.start("::1"); EtcdChannels channels = new EtcdChannels(client, "", null)) {
            put("shapes/a", "{\"Addr\":\"127.0.0.1:" + ipv4.port() + "\",\"Metadata\":\"...\"}");
            put("shapes/bad-json", "{\"Addr\":");
            put("shapes/b", "{\"Op\":0,\"Addr\":\"localhost:" + named.port() + "\",\"Metadata\":{\"zone\":\"a\"}}");
            put("shapes/no-port", "{\"Addr\":\"127.0.0.1\"}");
            put("shapes/c", "{\"Addr\":\"[::1]:" + ipv6.port() + "\",\"Metadata\":null}");
            ManagedChannel channel = channels.channel("etcd:///shapes");

            assertEventuallyReaches(channel, Set.of(ipv4.port(), named.port(), ipv6.port()));
            WatchSnapshot snapshot = channels.snapshot("shapes/");
            assertThat(snapshot.endpointCount()).isEqualTo(3);
            assertThat(snapshot.malformedValuesSkipped()).isEqualTo(2);
            assertThat(snapshot.healthy()).isTrue();
        }
    }

    @Test
    void greeterNeverSeesGreeterAdmin() throws Exception {
        try (PortServer greeter = PortServer.start(); PortServer admin = PortServer.start();
                EtcdChannels channels = new EtcdChannels(client, "", null)) {
            register("greeter/", greeter);
            register("greeter-admin/", admin);
            ManagedChannel greeterChannel = channels.channel("etcd:///greeter");
            ManagedChannel adminChannel = channels.channel("etcd:///greeter-admin");

            assertThat(portsOf(greeterChannel, 10)).containsExactly(greeter.port());
            assertThat(portsOf(adminChannel, 10)).containsExactly(admin.port());
        }
    }

    @Test
    void theNamespacePrefixesEveryServicesKeys() throws Exception {
        try (PortServer namespaced = PortServer.start(); PortServer outside = PortServer.start();
                EtcdChannels channels = new EtcdChannels(client, "prod/", null)) {
            register("prod/ns-svc/", namespaced);
            register("ns-svc/", outside);
            ManagedChannel channel = channels.channel("etcd:///ns-svc");

            assertThat(portsOf(channel, 10)).containsExactly(namespaced.port());
            assertThat(channels.snapshot("prod/ns-svc/").endpointCount()).isOne();
        }
    }

    @Test
    void roundRobinReachesBothServersAndDeletingAKeyMovesTrafficOff() throws Exception {
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                EtcdChannels channels = new EtcdChannels(client, "", null)) {
            String firstKey = register("rr/", first);
            register("rr/", second);
            ManagedChannel channel = channels.channel("etcd:///rr");
            assertEventuallyReaches(channel, Set.of(first.port(), second.port()));

            client.getKVClient().delete(bytes(firstKey)).get(10, TimeUnit.SECONDS);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(portsOf(channel, 10)).containsExactly(second.port()));
        }
    }

    @Test
    void channelsOfOneServiceShareOneWatchThatEndsWithTheLastChannel() throws Exception {
        try (PortServer server = PortServer.start(); EtcdChannels channels = new EtcdChannels(client, "", null)) {
            register("shared/", server);
            ManagedChannel first = channels.channel("etcd:///shared");
            ManagedChannel second = channels.channel("etcd:///shared");
            assertThat(PortServer.call(first)).isEqualTo(server.port());
            assertThat(PortServer.call(second)).isEqualTo(server.port());
            assertThat(channels.watches().snapshots()).singleElement()
                .satisfies((snapshot) -> assertThat(snapshot.prefix()).isEqualTo("shared/"));

            first.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            assertThat(channels.watches().snapshots()).hasSize(1);
            assertThat(PortServer.call(second)).isEqualTo(server.port());
            second.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            await().atMost(DEADLINE).until(() -> channels.watches().snapshots().isEmpty());
        }
    }

    @Test
    void everyChangeOfAKeyIsFollowed() throws Exception {
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                EtcdChannels channels = new EtcdChannels(client, "", null)) {
            Recorder recorder = follow(channels, "moving/");
            put("moving/instance", value(first, "{\"v\":1}"));
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(metadataOf(recorder)).isEqualTo(Map.of("v", 1)));
            put("moving/instance", value(second, "{\"v\":2}"));
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(metadataOf(recorder)).isEqualTo(Map.of("v", 2)));
            assertThat(((InetSocketAddress) recorder.endpoints.get(0).getAddresses().get(0)).getPort())
                .isEqualTo(second.port());
        }
    }

    @Test
    void tenThousandEndpointsAreListedAndAChangeReparsesOnlyTheChangedKey() throws Exception {
        for (int batch = 0; batch < 100; batch++) {
            Txn txn = client.getKVClient().txn();
            Op[] puts = new Op[100];
            for (int i = 0; i < 100; i++) {
                String addr = "10.1." + batch + "." + i + ":80";
                puts[i] = Op.put(bytes("many/" + addr), bytes("{\"Addr\":\"" + addr + "\"}"), PutOption.DEFAULT);
            }
            txn.Then(puts).commit().get(10, TimeUnit.SECONDS);
        }
        try (EtcdChannels channels = new EtcdChannels(client, "", null)) {
            Recorder recorder = follow(channels, "many/");
            await().atMost(DEADLINE).until(() -> recorder.endpoints != null && recorder.endpoints.size() == 10_000);
            List<EquivalentAddressGroup> before = recorder.endpoints;

            put("many/10.1.0.0:80", "{\"Addr\":\"10.1.0.0:80\",\"Metadata\":\"changed\"}");
            await().atMost(DEADLINE).until(() -> recorder.endpoints != before);
            List<EquivalentAddressGroup> after = recorder.endpoints;
            assertThat(after).hasSize(10_000);
            int reused = 0;
            for (int i = 0; i < after.size(); i++) {
                reused += (after.get(i) == before.get(i)) ? 1 : 0;
            }
            assertThat(reused).isEqualTo(9_999);
        }
    }

    private static Object metadataOf(Recorder recorder) {
        List<EquivalentAddressGroup> endpoints = recorder.endpoints;
        return (endpoints == null || endpoints.isEmpty()) ? null
                : endpoints.get(0).getAttributes().get(EtcdAttributes.METADATA);
    }

    static void assertFailsForEmptyService(ManagedChannel channel, String prefix) {
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> PortServer.call(channel))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
            .withMessageContaining("no endpoints are registered under '" + prefix + "' in etcd");
    }

    static void assertEventuallyReaches(ManagedChannel channel, Set<Integer> ports) {
        Set<Integer> seen = new HashSet<>();
        await().atMost(DEADLINE).untilAsserted(() -> {
            seen.add(PortServer.call(channel));
            assertThat(seen).isEqualTo(ports);
        });
    }

    static Set<Integer> portsOf(ManagedChannel channel, int calls) {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            ports.add(PortServer.call(channel));
        }
        return ports;
    }

    private static Recorder follow(EtcdChannels channels, String prefix) {
        Recorder recorder = new Recorder();
        channels.watches().acquire(prefix).subscribe(recorder);
        return recorder;
    }

    private static String register(String prefix, PortServer server) throws Exception {
        String key = prefix + "127.0.0.1:" + server.port();
        put(key, value(server, "null"));
        return key;
    }

    private static String value(PortServer server, String metadataJson) {
        return "{\"Op\":0,\"Addr\":\"127.0.0.1:" + server.port() + "\",\"Metadata\":" + metadataJson + "}";
    }

    private static void put(String key, String value) throws Exception {
        client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
