package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * A raw jetcd prefix watch: the fastest anyone can learn of a change, and so the floor that the resolver's times are
 * compared with. On its own client, or on the resolver's client (same connection and event loop, so the difference
 * is only the resolver's own work and the hand-over to the channel).
 */
final class FloorWatch implements AutoCloseable {

    private final Client client;

    private final boolean ownsClient;

    private final Watch.Watcher watcher;

    private volatile Expectation<WatchEvent> expectation = new Expectation<>((event) -> false);

    FloorWatch(EtcdCluster etcd, String prefix) {
        this(Etcd.client(etcd), true, prefix);
    }

    /** A watch on {@code client}, which stays open when this watch closes. */
    FloorWatch(Client client, String prefix) {
        this(client, false, prefix);
    }

    private FloorWatch(Client client, boolean ownsClient, String prefix) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.watcher = this.client.getWatchClient()
            .watch(Etcd.bytes(prefix), WatchOption.builder().isPrefix(true).build(), (response) -> {
                long now = System.nanoTime();
                response.getEvents().forEach((event) -> this.expectation.offer(event, now));
            });
    }

    /** Arms an expectation for the events that arrive from now on. */
    Expectation<WatchEvent> expect(Predicate<WatchEvent> condition) {
        Expectation<WatchEvent> next = new Expectation<>(condition);
        this.expectation = next;
        return next;
    }

    static boolean isPutOf(WatchEvent event, String key) {
        return event.getEventType() == WatchEvent.EventType.PUT && key(event).equals(key);
    }

    static boolean isDeleteOf(WatchEvent event, String key) {
        return event.getEventType() == WatchEvent.EventType.DELETE && key(event).equals(key);
    }

    static String key(WatchEvent event) {
        return event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        this.watcher.close();
        if (this.ownsClient) {
            this.client.close();
        }
    }
}
