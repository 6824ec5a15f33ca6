package dev.etcddiscovery.test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/** Tells a test when a key is deleted. */
public final class KeyDeletionWatch {

    private KeyDeletionWatch() {
    }

    /**
     * Runs {@code onDelete} when {@code key} is deleted, watching from the revision the key is at now: a watch from
     * "now" is set up asynchronously, and a deletion before it is would go unseen. The caller closes the watcher.
     */
    public static Watch.Watcher watch(Client client, String key, Runnable onDelete) throws Exception {
        ByteSequence bytes = ByteSequence.from(key, StandardCharsets.UTF_8);
        long revision = client.getKVClient().get(bytes).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        return client.getWatchClient()
            .watch(bytes, WatchOption.builder().withRevision(revision + 1).build(), Watch.listener((response) -> {
                if (response.getEvents().stream().anyMatch((e) -> e.getEventType() == WatchEvent.EventType.DELETE)) {
                    onDelete.run();
                }
            }));
    }
}
