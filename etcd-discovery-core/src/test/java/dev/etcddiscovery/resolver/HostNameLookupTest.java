package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.resolver.EtcdNameResolverIntegrationTest.assertEventuallyReaches;
import static dev.etcddiscovery.resolver.EtcdNameResolverIntegrationTest.assertFailsForEmptyService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Host names in {@code Addr} are looked up off jetcd's threads, with a bound, and a name that does not resolve yet
 * is looked up again until it does and then used, without its key being written again. The names are answered by
 * a resolver the test controls, the way a DNS record appears later.
 */
@EtcdTest
@Tag("slow")
class HostNameLookupTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static Client client;

    @BeforeAll
    static void connect(EtcdCluster etcd) {
        client = etcd.client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void aNameThatResolvesLaterIsUsedWithoutAKeyWriteAfterOneWarning() throws Exception {
        LateNames names = new LateNames();
        try (PortServer server = PortServer.start(); LogCapture log = new LogCapture();
                EtcdChannels channels = new EtcdChannels(directory(names), "")) {
            put("late/a", "late-host:" + server.port());
            ManagedChannel channel = channels.channel("etcd:///late");
            await().atMost(DEADLINE).untilAsserted(() -> assertFailsForEmptyService(channel, "late/"));
            await().atMost(DEADLINE).until(() -> names.lookups.get() >= 3);

            names.resolvable = true;
            await().atMost(DEADLINE).ignoreExceptions()
                .untilAsserted(() -> assertThat(PortServer.call(channel)).isEqualTo(server.port()));
            assertThat(log.atLeast(Level.WARN)).filteredOn((line) -> line.contains("late/a")).singleElement()
                .satisfies((line) -> assertThat(line).contains("Host 'late-host' of etcd key 'late/a' does not resolve"));
            assertThat(names.threads).allSatisfy((thread) -> assertThat(thread).startsWith("etcd-resolver-lookup-"));
        }
    }

    @Test
    void aLookupThatHangsHoldsUpNeitherTheOtherEndpointsNorItsOwnNextTry() throws Exception {
        LateNames names = new LateNames();
        try (PortServer literal = PortServer.start(); PortServer named = PortServer.start();
                LogCapture log = new LogCapture(); EtcdChannels channels = new EtcdChannels(directory(names), "")) {
            put("hanging/a", "hanging-host:" + named.port());
            put("hanging/b", "127.0.0.1:" + literal.port());
            ManagedChannel channel = channels.channel("etcd:///hanging");
            assertEventuallyReaches(channel, Set.of(literal.port()));
            await().atMost(DEADLINE).until(() -> log.atLeast(Level.WARN).stream()
                .anyMatch((line) -> line.contains("'hanging/a'") && line.contains("no answer within")));

            names.resolvable = true;
            names.hang.countDown();
            assertEventuallyReaches(channel, Set.of(literal.port(), named.port()));
        }
    }

    private static ServiceDirectory.Builder directory(HostResolver names) {
        return ServiceDirectory.builder(client)
            .hostResolver(names)
            .requestTimeout(Duration.ofSeconds(1))
            .maxRetryBackoff(Duration.ofSeconds(1));
    }

    private static void put(String key, String addr) throws Exception {
        client.getKVClient()
            .put(bytes(key), bytes("{\"Addr\":\"" + addr + "\"}"))
            .get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /**
     * Names that do not resolve until the test says so, then resolve to 127.0.0.1; {@code hanging-host} blocks its
     * lookups until {@link #hang} is released, as a lookup that waits for DNS timeouts does.
     */
    private static final class LateNames implements HostResolver {

        final AtomicInteger lookups = new AtomicInteger();

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        final CountDownLatch hang = new CountDownLatch(1);

        volatile boolean resolvable;

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            this.lookups.incrementAndGet();
            this.threads.add(Thread.currentThread().getName());
            if (host.equals("hanging-host")) {
                try {
                    this.hang.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new UnknownHostException(host);
                }
            }
            if (!this.resolvable) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName("127.0.0.1"));
        }
    }
}
