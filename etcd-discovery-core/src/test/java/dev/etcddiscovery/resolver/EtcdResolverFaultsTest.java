package dev.etcddiscovery.resolver;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.resolver.EtcdNameResolverIntegrationTest.assertEventuallyReaches;
import static dev.etcddiscovery.resolver.EtcdNameResolverIntegrationTest.assertFailsForEmptyService;
import static dev.etcddiscovery.resolver.EtcdNameResolverIntegrationTest.portsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resolver against a failing etcd: killed, silently cut off, compacted and wiped. Short request timeouts and
 * watch checks keep the test fast; nothing here depends on how fast things happen, only on their order.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class EtcdResolverFaultsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final EtcdCluster etcd;

    private Client client;

    private Client resolverClient;

    EtcdResolverFaultsTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @BeforeEach
    void connect() {
        this.client = this.etcd.client();
    }

    @AfterEach
    void disconnect() {
        this.client.close();
        if (this.resolverClient != null) {
            this.resolverClient.close();
        }
    }

    @Test
    void killDashNineWhileCallingFailsNoCallAndChangesAfterTheRestartAreSeen() throws Exception {
        this.resolverClient = this.etcd.client();
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                EtcdChannels channels = channels(this.resolverClient)) {
            String firstKey = register("kill/", first);
            ManagedChannel channel = channels.channel("etcd:///kill");
            assertThat(PortServer.call(channel)).isEqualTo(first.port());

            try (CallLoop loop = new CallLoop(channel)) {
                this.etcd.kill();
                await().atMost(DEADLINE).until(() -> !channels.snapshot("kill/").healthy());
                int later = loop.successes.get() + 50;
                await().atMost(DEADLINE).until(() -> loop.successes.get() >= later);

                this.etcd.restart();
                register("kill/", second);
                delete(firstKey);
                await().atMost(DEADLINE).until(() -> loop.lastPort == second.port());
                int afterSwitch = loop.successes.get() + 20;
                await().atMost(DEADLINE).until(() -> loop.successes.get() >= afterSwitch);
                assertThat(loop.lastPort).isEqualTo(second.port());
                assertThat(loop.failures).isEmpty();
            }
            assertThat(channels.snapshot("kill/").watchRestarts()).isPositive();
            await().atMost(DEADLINE).until(() -> channels.snapshot("kill/").healthy());
        }
    }

    @Test
    void aSilentlyDeadWatchIsDetectedAndChangesAndCompactionMeanwhileAreCaughtUp() throws Exception {
        try (EtcdProxy proxy = EtcdProxy.inFrontOf(this.etcd.endpoint());
                PortServer first = PortServer.start(); PortServer second = PortServer.start()) {
            this.resolverClient = proxy.clientBuilder().build();
            try (EtcdChannels channels = channels(this.resolverClient)) {
                String firstKey = register("silent/", first);
                ManagedChannel channel = channels.channel("etcd:///silent");
                assertThat(PortServer.call(channel)).isEqualTo(first.port());
                // the list can reach the channel before etcd confirmed the watch that follows it
                await().atMost(DEADLINE).until(() -> channels.snapshot("silent/").healthy());

                proxy.freeze();
                register("silent/", second);
                delete(firstKey);
                long revision = this.client.getKVClient().get(bytes("silent/")).get(10, TimeUnit.SECONDS)
                    .getHeader().getRevision();
                this.etcd.etcdctl("compact", Long.toString(revision));
                await().atMost(DEADLINE).until(() -> !channels.snapshot("silent/").healthy());
                // the last good list is kept while etcd cannot be reached
                assertThat(portsOf(channel, 5)).containsExactly(first.port());

                proxy.thaw();
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(portsOf(channel, 5)).containsExactly(second.port()));
                await().atMost(DEADLINE).until(() -> channels.snapshot("silent/").healthy());
                assertThat(channels.snapshot("silent/").watchRestarts()).isPositive();
            }
        }
    }

    @Test
    void aWatchWhoseStartRevisionWasCompactedReListsAndCatchesUp() throws Exception {
        try (EtcdProxy proxy = EtcdProxy.inFrontOf(this.etcd.endpoint());
                PortServer first = PortServer.start(); PortServer second = PortServer.start()) {
            this.resolverClient = proxy.clientBuilder().build();
            // connect first, so that what the proxy holds back below is the answer to the list
            this.resolverClient.getKVClient().get(bytes("warm-up")).get(10, TimeUnit.SECONDS);
            String firstKey = register("compacted/", first);
            try (EtcdChannels channels = new EtcdChannels(this.resolverClient, "", null, Duration.ofSeconds(60),
                    Duration.ofSeconds(60))) {
                proxy.freezeResponses();
                ManagedChannel channel = channels.channel("etcd:///compacted");
                channel.getState(true);
                await().atMost(DEADLINE).until(() -> proxy.isHolding(firstKey));

                // the list's revision is now history: the watch that follows it must start past a compaction
                register("compacted/", second);
                delete(firstKey);
                long revision = this.client.getKVClient().get(bytes("compacted/")).get(10, TimeUnit.SECONDS)
                    .getHeader().getRevision();
                this.etcd.etcdctl("compact", Long.toString(revision));
                proxy.thaw();

                await().atMost(DEADLINE).untilAsserted(() -> assertThat(portsOf(channel, 5)).containsExactly(second.port()));
                assertThat(channels.snapshot("compacted/").compactionRelists()).isOne();
            }
        }
    }

    @Test
    void aWipedEtcdKeepsTheLastListUntilTheServersRegisterAgainThenFollowsTheNewCluster() throws Exception {
        this.resolverClient = this.etcd.client();
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                EtcdChannels channels = channels(this.resolverClient, Duration.ofSeconds(60))) {
            register("wiped/", first);
            ManagedChannel channel = channels.channel("etcd:///wiped");
            assertThat(PortServer.call(channel)).isEqualTo(first.port());

            this.etcd.wipe();
            // the watch was lost, and then the new, empty cluster was listed and is watched
            await().atMost(DEADLINE).until(() -> channels.snapshot("wiped/").watchRestarts() > 0);
            await().atMost(DEADLINE).until(() -> channels.snapshot("wiped/").healthy());
            assertThat(portsOf(channel, 5)).containsExactly(first.port());

            reconnect();
            register("wiped/", second);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(portsOf(channel, 5)).containsExactly(second.port()));
        }
    }

    @Test
    void changesInTheWipedEtcdThatLeaveTheServiceEmptyDoNotEndTheGracePeriod() throws Exception {
        this.resolverClient = this.etcd.client();
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                EtcdChannels channels = channels(this.resolverClient, Duration.ofSeconds(60))) {
            register("wiped-noise/", first);
            ManagedChannel channel = channels.channel("etcd:///wiped-noise");
            assertThat(PortServer.call(channel)).isEqualTo(first.port());

            this.etcd.wipe();
            await().atMost(DEADLINE).until(() -> channels.snapshot("wiped-noise/").watchRestarts() > 0);
            await().atMost(DEADLINE).until(() -> channels.snapshot("wiped-noise/").healthy());
            reconnect();
            // values that cannot be used come and go: the service is still empty after each change
            this.client.getKVClient().put(bytes("wiped-noise/bad"), bytes("{not json")).get(10, TimeUnit.SECONDS);
            delete("wiped-noise/bad");
            this.client.getKVClient().put(bytes("wiped-noise/worse"), bytes("[]")).get(10, TimeUnit.SECONDS);
            await().atMost(DEADLINE).until(() -> channels.snapshot("wiped-noise/").malformedValuesSkipped() == 2);
            assertThat(portsOf(channel, 5)).containsExactly(first.port());

            register("wiped-noise/", second);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(portsOf(channel, 5)).containsExactly(second.port()));
        }
    }

    @Test
    void aWipedEtcdThatStaysEmptyIsFollowedOnceTheGracePeriodEnds() throws Exception {
        this.resolverClient = this.etcd.client();
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                EtcdChannels channels = channels(this.resolverClient, Duration.ofSeconds(1))) {
            register("wiped-empty/", first);
            ManagedChannel channel = channels.channel("etcd:///wiped-empty");
            assertThat(PortServer.call(channel)).isEqualTo(first.port());

            this.etcd.wipe();
            await().atMost(DEADLINE).untilAsserted(() -> assertFailsForEmptyService(channel, "wiped-empty/"));

            reconnect();
            register("wiped-empty/", second);
            assertEventuallyReaches(channel, java.util.Set.of(second.port()));
        }
    }

    @Test
    void aWatchThatNeverAnswersIsRetriedWithBackoffNotInALoop() throws Exception {
        this.resolverClient = this.etcd.client();
        // lists reach etcd, watches go to a closed port, never answer and are given up at every check
        try (Client unreachable = Client.builder().endpoints("http://127.0.0.1:" + closedPort()).build();
                PortServer server = PortServer.start(); LogCapture log = new LogCapture();
                EtcdChannels channels = new EtcdChannels(ServiceDirectory.builder(this.resolverClient)
                    .watchSource(unreachable.getWatchClient())
                    .watchCheckInterval(Duration.ofMillis(200))
                    .maxRetryBackoff(Duration.ofSeconds(1)), "")) {
            register("failing-watch/", server);
            ManagedChannel channel = channels.channel("etcd:///failing-watch");
            assertThat(PortServer.call(channel)).isEqualTo(server.port());

            await().atMost(DEADLINE).until(() -> channels.snapshot("failing-watch/").watchRestarts() >= 3);
            List<String> restarts = log.atLeast(Level.INFO).stream()
                .filter((line) -> line.startsWith("Watch on etcd prefix 'failing-watch/' lost"))
                .toList();
            // a watch that never answered does not earn an immediate retry
            assertThat(restarts).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy((line) -> assertThat(line).containsPattern("re-listing in \\d+ ms$"));
            assertThat(PortServer.call(channel)).isEqualTo(server.port());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void reconnect() {
        this.client.close();
        this.client = this.etcd.client();
    }

    private static EtcdChannels channels(Client client) {
        return channels(client, ServiceDirectory.DEFAULT_NEW_CLUSTER_GRACE_PERIOD);
    }

    private static EtcdChannels channels(Client client, Duration newClusterGracePeriod) {
        return new EtcdChannels(client, "", null, Duration.ofSeconds(1), Duration.ofSeconds(1), newClusterGracePeriod);
    }

    private String register(String prefix, PortServer server) throws Exception {
        String key = prefix + "127.0.0.1:" + server.port();
        String value = "{\"Op\":0,\"Addr\":\"127.0.0.1:" + server.port() + "\",\"Metadata\":null}";
        this.client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
        return key;
    }

    private void delete(String key) throws Exception {
        this.client.getKVClient().delete(bytes(key)).get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
