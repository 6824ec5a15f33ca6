package dev.etcddiscovery.sample.failure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

import static org.awaitility.Awaitility.await;

/**
 * The puts and deletes under {@code greeter/} from a given revision on, each with the time this JVM received it
 * ({@link System#nanoTime()}): when a key became visible to an etcd client, or went away, to within the watch's
 * delivery (a few ms).
 */
final class GreeterKeyEvents implements AutoCloseable {

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private final Watch.Watcher watcher;

    private GreeterKeyEvents(Watch watch, long fromRevision) {
        ByteSequence prefix = ByteSequence.from(GreeterKeys.PREFIX, StandardCharsets.UTF_8);
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
        this.watcher = watch.watch(prefix, option, (response) -> {
            long received = System.nanoTime();
            for (WatchEvent event : response.getEvents()) {
                String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                this.events.add(new Event(event.getEventType(), key.substring(GreeterKeys.PREFIX.length()), received));
            }
        });
    }

    /** Follows the keys from {@code fromRevision} on: start before acting, so that no event is missed. */
    static GreeterKeyEvents follow(Watch watch, long fromRevision) {
        return new GreeterKeyEvents(watch, fromRevision);
    }

    /** Waits for a put of {@code instance}'s key received after {@code afterNanos}, and returns when it came. */
    long awaitPut(String instance, long afterNanos, Duration deadline) {
        return awaitEvent(WatchEvent.EventType.PUT, instance, afterNanos, deadline);
    }

    /** Waits for a delete of {@code instance}'s key received after {@code afterNanos}, and returns when it came. */
    long awaitDelete(String instance, long afterNanos, Duration deadline) {
        return awaitEvent(WatchEvent.EventType.DELETE, instance, afterNanos, deadline);
    }

    private long awaitEvent(WatchEvent.EventType type, String instance, long afterNanos, Duration deadline) {
        await(type + " of " + GreeterKeys.PREFIX + instance).atMost(deadline)
            .pollInterval(Duration.ofMillis(5))
            .until(() -> find(type, instance, afterNanos) != null);
        return find(type, instance, afterNanos).receivedNanos();
    }

    private Event find(WatchEvent.EventType type, String instance, long afterNanos) {
        return this.events.stream()
            .filter((event) -> event.type() == type && event.instance().equals(instance)
                    && event.receivedNanos() - afterNanos > 0)
            .findFirst()
            .orElse(null);
    }

    @Override
    public void close() {
        this.watcher.close();
    }

    private record Event(WatchEvent.EventType type, String instance, long receivedNanos) {
    }
}
