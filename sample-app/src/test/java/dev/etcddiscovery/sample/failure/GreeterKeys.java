package dev.etcddiscovery.sample.failure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/** What etcd holds under {@code greeter/}, read with a jetcd client of the test's own. */
final class GreeterKeys implements AutoCloseable {

    static final String PREFIX = "greeter/";

    private static final ByteSequence EVERY_KEY = ByteSequence.from(new byte[] { 0 });

    private final Client client;

    private GreeterKeys(Client client) {
        this.client = client;
    }

    static GreeterKeys open(EtcdCluster etcd) {
        return new GreeterKeys(Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build());
    }

    /** Registered instance ({@code host:port}, the key without the prefix) → the id of the lease it is under. */
    Map<String, Long> leases() throws Exception {
        Map<String, Long> leases = new LinkedHashMap<>();
        for (KeyValue kv : this.client.getKVClient()
            .get(bytes(PREFIX), GetOption.builder().isPrefix(true).build())
            .get(10, TimeUnit.SECONDS)
            .getKvs()) {
            leases.put(kv.getKey().toString(StandardCharsets.UTF_8).substring(PREFIX.length()), kv.getLease());
        }
        return leases;
    }

    /** Seconds left of a lease, or -1 when etcd does not know it (expired or revoked). */
    long leaseTtl(long lease) throws Exception {
        return this.client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL();
    }

    /** The cluster's current revision. */
    long revision() throws Exception {
        return this.client.getKVClient().get(bytes(PREFIX)).get(10, TimeUnit.SECONDS).getHeader().getRevision();
    }

    /** The puts and deletes under {@code greeter/} from now on, with the times they reached this JVM. */
    GreeterKeyEvents follow() throws Exception {
        return GreeterKeyEvents.follow(this.client.getWatchClient(), revision() + 1);
    }

    void put(String key, String value) throws Exception {
        this.client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
    }

    void deletePrefix(String prefix) throws Exception {
        this.client.getKVClient()
            .delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build())
            .get(10, TimeUnit.SECONDS);
    }

    /** Puts every entry at once and waits for all. */
    void putAll(Map<String, String> values) throws Exception {
        CompletableFuture<?>[] puts = values.entrySet()
            .stream()
            .map((entry) -> this.client.getKVClient().put(bytes(entry.getKey()), bytes(entry.getValue())))
            .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(puts).get(60, TimeUnit.SECONDS);
    }

    /**
     * The keys under {@code greeter/} deleted after {@code revision}, read back from etcd's history: a watch of every
     * key from that revision, read up to a marker key put now.
     */
    List<String> deletedSince(long revision) throws Exception {
        String marker = "failure-suite/marker-" + System.nanoTime();
        List<String> deleted = new ArrayList<>();
        CompletableFuture<Void> markerSeen = new CompletableFuture<>();
        WatchOption history = WatchOption.builder().withRange(EVERY_KEY).withRevision(revision + 1).build();
        try (Watch.Watcher watcher = this.client.getWatchClient().watch(EVERY_KEY, history, (response) -> {
            for (WatchEvent event : response.getEvents()) {
                String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                if (key.equals(marker)) {
                    markerSeen.complete(null);
                }
                else if (event.getEventType() == WatchEvent.EventType.DELETE && key.startsWith(PREFIX)) {
                    synchronized (deleted) {
                        deleted.add(key);
                    }
                }
            }
        }, markerSeen::completeExceptionally)) {
            put(marker, "");
            markerSeen.get(30, TimeUnit.SECONDS);
        }
        synchronized (deleted) {
            return List.copyOf(deleted);
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        this.client.close();
    }
}
