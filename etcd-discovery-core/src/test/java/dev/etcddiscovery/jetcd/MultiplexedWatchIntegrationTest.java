package dev.etcddiscovery.jetcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdMetrics.Watches;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link MultiplexedWatch} against a real etcd, which also counts for us how many watch streams and watchers it
 * holds ({@code /metrics}). Every test starts from an etcd that holds none.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class MultiplexedWatchIntegrationTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    static final WatchOption PREFIX = WatchOption.builder().isPrefix(true).build();

    private final EtcdCluster etcd;

    private Client client;

    private Watch watch;

    MultiplexedWatchIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @BeforeEach
    void connect() {
        await().atMost(DEADLINE).until(this::count, (count) -> count.equals(Watches.NONE));
        this.client = this.etcd.client();
        this.watch = MultiplexedWatch.forClient(this.client);
    }

    @AfterEach
    void disconnect() {
        this.watch.close();
        this.client.close();
    }

    @Test
    void everyPrefixOnOneStreamGetsItsOwnEventsInOrder() throws Exception {
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingListener listener = new RecordingListener();
            this.watch.watch(bytes("order/" + i + "/"), PREFIX, listener);
            listeners.add(listener);
        }
        awaitCount(1, 50);
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 50; i++) {
                put("order/" + i + "/" + round, "v" + round);
            }
        }
        await().atMost(DEADLINE).until(() -> listeners.stream().allMatch((listener) -> listener.events().size() >= 10));
        for (int i = 0; i < 50; i++) {
            RecordingListener listener = listeners.get(i);
            String prefix = "order/" + i + "/";
            assertThat(listener.keys()).containsExactlyElementsOf(
                    IntStream.range(0, 10).mapToObj((round) -> prefix + round).toList());
            assertThat(listener.events()).extracting((event) -> event.getKeyValue().getModRevision()).isSorted();
            assertThat(listener.errors).isEmpty();
        }
        assertThat(count()).isEqualTo(new Watches(1, 50));
    }

    @Test
    void closingEveryWatcherLeavesNoStreamAndNoWatcherOnEtcd() {
        List<Watch.Watcher> watchers = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RecordingListener listener = new RecordingListener();
            watchers.add(this.watch.watch(bytes("close/" + i + "/"), PREFIX, listener));
            listeners.add(listener);
        }
        awaitCount(1, 20);
        watchers.subList(0, 10).forEach(Watch.Watcher::close);
        awaitCount(1, 10);
        watchers.subList(10, 20).forEach(Watch.Watcher::close);
        awaitCount(0, 0);
        assertThat(listeners).allSatisfy((listener) -> {
            assertThat(listener.completions).hasValue(1);
            assertThat(listener.errors).isEmpty();
        });
        assertThat(watchers).allMatch(Watch.Watcher::isClosed);
    }

    @Test
    void watchersClosedBeforeEtcdConfirmedThemAreCancelledOnEtcd() throws Exception {
        RecordingListener keeper = new RecordingListener();
        this.watch.watch(bytes("early/keeper/"), PREFIX, keeper);
        List<RecordingListener> closedEarly = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RecordingListener listener = new RecordingListener();
            this.watch.watch(bytes("early/" + i + "/"), PREFIX, listener).close();
            closedEarly.add(listener);
        }
        // creates are answered in order: once this one is confirmed, every earlier one was answered (and cancelled)
        RecordingListener barrier = new RecordingListener();
        this.watch.watch(bytes("early/barrier/"), WatchOption.builder().isPrefix(true).withCreateNotify(true).build(),
                barrier);
        await().atMost(DEADLINE).until(() -> !barrier.responses.isEmpty());
        awaitCount(1, 2);
        put("early/0/x", "1");
        put("early/keeper/x", "1");
        await().atMost(DEADLINE).until(() -> keeper.keys().contains("early/keeper/x"));
        assertThat(closedEarly).allSatisfy((listener) -> {
            assertThat(listener.responses).isEmpty();
            assertThat(listener.completions).hasValue(1);
        });
    }

    @Test
    void compactionEndsTheWatcherWithCompactedExceptionAndEtcdForgetsIt() throws Exception {
        RecordingListener keeper = new RecordingListener();
        this.watch.watch(bytes("compact/keeper/"), PREFIX, keeper);
        long first = put("compact/a/1", "1");
        put("compact/a/2", "2");
        long last = put("compact/a/3", "3");
        this.client.getKVClient().compact(last).get(10, TimeUnit.SECONDS);

        RecordingListener behind = new RecordingListener();
        Watch.Watcher watcher = this.watch.watch(bytes("compact/a/"),
                WatchOption.builder().isPrefix(true).withRevision(first).build(), behind);
        await().atMost(DEADLINE).until(() -> !behind.errors.isEmpty());
        assertThat(behind.errors).singleElement()
            .isInstanceOfSatisfying(CompactedException.class,
                    (error) -> assertThat(error.getCompactedRevision()).isEqualTo(last));
        assertThat(watcher.isClosed()).isTrue();
        // etcd counts a compacted watcher until the client cancels it
        awaitCount(1, 1);
        put("compact/keeper/x", "1");
        await().atMost(DEADLINE).until(() -> keeper.keys().contains("compact/keeper/x"));
        assertThat(behind.responses).isEmpty();
        assertThat(behind.afterEnd).isEmpty();
    }

    @Test
    void progressRequestsAreAnsweredToTheWatchersThatAskedAsJetcdDoes() throws Exception {
        List<RecordingListener> listeners = List.of(new RecordingListener(), new RecordingListener(),
                new RecordingListener());
        List<Watch.Watcher> watchers = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            watchers.add(this.watch.watch(bytes("progress/" + i + "/"), PREFIX, listeners.get(i)));
        }
        awaitCount(1, 3);
        long revision = put("progress/elsewhere", "1");

        this.watch.requestProgress();
        await().atMost(DEADLINE).until(() -> listeners.stream().allMatch((listener) -> listener.progress().size() == 1));
        watchers.get(0).requestProgress();
        await().atMost(DEADLINE).until(() -> listeners.get(0).progress().size() == 2);
        // answers come in order: once the third watcher is answered, an answer to the others would have come first
        watchers.get(2).requestProgress();
        await().atMost(DEADLINE).until(() -> listeners.get(2).progress().size() == 2);
        assertThat(listeners.get(1).progress()).hasSize(1);
        assertThat(listeners.get(0).progress()).hasSize(2);
        assertThat(listeners).allSatisfy((listener) -> {
            assertThat(listener.events()).isEmpty();
            assertThat(listener.progress())
                .allSatisfy((response) -> assertThat(response.getHeader().getRevision()).isEqualTo(revision));
        });
    }

    @Test
    void createdNotificationsPrevKeyValuesAndFiltersAreThoseOfJetcd() throws Exception {
        put("options/a", "old");
        RecordingListener listener = new RecordingListener();
        this.watch.watch(bytes("options/"),
                WatchOption.builder().isPrefix(true).withPrevKV(true).withCreateNotify(true).withNoDelete(true).build(),
                listener);
        await().atMost(DEADLINE).until(() -> listener.responses.size() == 1);
        assertThat(listener.responses.get(0).isCreatedNotify()).isTrue();
        this.client.getKVClient().delete(bytes("options/a")).get(10, TimeUnit.SECONDS);
        put("options/a", "new");
        await().atMost(DEADLINE).until(() -> listener.events().size() == 1);
        WatchEvent event = listener.events().get(0);
        assertThat(event.getEventType()).isEqualTo(WatchEvent.EventType.PUT);
        assertThat(event.getKeyValue().getValue().toString(StandardCharsets.UTF_8)).isEqualTo("new");
    }

    @Test
    void aNamespacedClientWatchesInsideItsNamespaceAndSeesKeysWithoutIt() throws Exception {
        try (Client tenant = this.etcd.clientBuilder().namespace(bytes("tenant/")).build(); Watch tenantWatch = MultiplexedWatch.forClient(tenant)) {
            RecordingListener listener = new RecordingListener();
            tenantWatch.watch(bytes("svc/"), PREFIX, listener);
            awaitCount(1, 1);
            put("svc/outside", "1");
            tenant.getKVClient().put(bytes("svc/inside"), bytes("1")).get(10, TimeUnit.SECONDS);
            await().atMost(DEADLINE).until(() -> !listener.events().isEmpty());
            assertThat(listener.keys()).containsExactly("svc/inside");
        }
    }

    @Test
    void closingTheWatchCompletesEveryWatcherAndLeavesNothing() {
        List<RecordingListener> listeners = IntStream.range(0, 5).mapToObj((i) -> new RecordingListener()).toList();
        for (int i = 0; i < listeners.size(); i++) {
            this.watch.watch(bytes("shutdown/" + i + "/"), PREFIX, listeners.get(i));
        }
        awaitCount(1, 5);
        this.watch.close();
        assertThat(listeners).allSatisfy((listener) -> assertThat(listener.completions).hasValue(1));
        awaitCount(0, 0);
        assertThatExceptionOfType(ClosedClientException.class)
            .isThrownBy(() -> this.watch.watch(bytes("shutdown/"), PREFIX, new RecordingListener()));
    }

    @Test
    void closingTheClientEndsEveryWatcherWithAnError() {
        RecordingListener listener = new RecordingListener();
        this.watch.watch(bytes("client-closed/"), PREFIX, listener);
        awaitCount(1, 1);
        this.client.close();
        await().atMost(DEADLINE).until(() -> !listener.errors.isEmpty());
        assertThat(listener.errors).singleElement().isInstanceOf(EtcdException.class);
        RecordingListener late = new RecordingListener();
        this.watch.watch(bytes("client-closed/"), PREFIX, late);
        await().atMost(DEADLINE).until(() -> !late.errors.isEmpty());
        assertThat(late.errors).singleElement().isInstanceOf(EtcdException.class);
        awaitCount(0, 0);
    }

    private void awaitCount(long streams, long watchers) {
        Watches expected = new Watches(streams, watchers);
        await().atMost(DEADLINE).until(this::count, expected::equals);
    }

    private Watches count() {
        return EtcdMetrics.watchesOf(this.etcd.members());
    }

    private long put(String key, String value) throws Exception {
        return this.client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS).getHeader().getRevision();
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
