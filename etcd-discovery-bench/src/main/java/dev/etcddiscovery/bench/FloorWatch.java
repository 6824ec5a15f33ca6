package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * A raw jetcd prefix watch on its own client: the fastest anyone can learn of a change, and so the floor that the
 * resolver's times are compared with.
 */
final class FloorWatch implements AutoCloseable {

    private final Client client;

    private final Watch.Watcher watcher;

    private volatile Expectation<WatchEvent> expectation = new Expectation<>((event) -> false);

    FloorWatch(EtcdCluster etcd, String prefix) {
        this.client = Etcd.client(etcd);
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
        this.client.close();
    }
}
