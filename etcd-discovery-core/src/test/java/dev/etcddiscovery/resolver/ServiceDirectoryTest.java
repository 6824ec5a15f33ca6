package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.resolver.PrefixWatch;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a watch hands lists to its subscribers when they cannot keep up, and how the watches close while a list is
 * being handed out.
 */
@EtcdTest
class ServiceDirectoryTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EtcdCluster etcd;

    private Client writer;

    private Client resolverClient;

    ServiceDirectoryTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @BeforeEach
    void connect() {
        // separate clients: a subscriber that blocks holds up its watch's client, not the one that writes
        this.writer = this.etcd.client();
        this.resolverClient = this.etcd.client();
    }

    @AfterEach
    void disconnect() {
        this.writer.close();
        this.resolverClient.close();
    }

    @Test
    void changesThatComeFasterThanASlowSubscriberTakesListsReachItInFewLists() throws Exception {
        int puts = 100;
        SlowSubscriber subscriber = new SlowSubscriber();
        try (ServiceDirectory watches = watches()) {
            watches.acquire("burst/").subscribe(subscriber);
            await().atMost(DEADLINE).until(() -> subscriber.endpoints != null);

            // each put in its own revision, so one watch response each; the subscriber needs 50 ms per list
            for (int i = 0; i < puts; i++) {
                String addr = "10.2.0." + i + ":80";
                this.writer.getKVClient().put(bytes("burst/" + addr), bytes("{\"Addr\":\"" + addr + "\"}"))
                    .get(10, TimeUnit.SECONDS);
            }

            await().atMost(DEADLINE).until(() -> subscriber.endpoints.size() == puts);
            assertThat(subscriber.lists.get()).isLessThan(puts / 2);
        }
    }

    @Test
    void closingTheWatchesFromASubscriberThatIsHandedTheFirstListIsOrderly() throws Exception {
        try (LogCapture output = LogCapture.downTo("dev.etcddiscovery", Level.DEBUG)) {
            closeFromTheFirstList(output);
        }
    }

    private void closeFromTheFirstList(LogCapture output) throws Exception {
        ServiceDirectory watches = watches();
        CountDownLatch closed = new CountDownLatch(1);
        watches.acquire("closing/").subscribe(new PrefixWatch.Subscriber() {

            @Override
            public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
                watches.close();
                closed.countDown();
            }

            @Override
            public void onError(Status error) {
            }
        });

        assertThat(closed.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(DEADLINE).until(() -> output.text().contains("Stopped following etcd prefix 'closing/'"));
        await().atMost(DEADLINE).until(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch((thread) -> thread.getName().equals("etcd-resolver-timer")));
        String log = output.text();
        assertThat(log).doesNotContain("Unexpected error while following").doesNotContain("RejectedExecutionException");
        // the first list may reach the subscriber while it is being handed out or, when the subscription comes
        // after the list, once the watch already runs; either way no watch may start after the close
        assertThat(log.substring(log.indexOf("Stopped following etcd prefix 'closing/'")))
            .doesNotContain("Watching etcd prefix 'closing/'");
    }

    private ServiceDirectory watches() {
        return ServiceDirectory.builder(this.resolverClient).build();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /**
     * Counts the lists it is handed and takes 50 ms to take in each one with endpoints, like a load balancer of a
     * large service on a busy machine. (The wait simulates work; nothing is synchronised by it.)
     */
    private static final class SlowSubscriber implements PrefixWatch.Subscriber {

        private final AtomicInteger lists = new AtomicInteger();

        private volatile List<EquivalentAddressGroup> endpoints;

        @Override
        public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
            this.lists.incrementAndGet();
            if (!endpoints.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            this.endpoints = endpoints;
        }

        @Override
        public void onError(Status error) {
        }
    }
}
