package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.etcddiscovery.resolver.ServiceWatches;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * The three ways benchmark 1 times a change, each on a prefix of its own so that one variant's puts reach only its
 * own watches: a raw watch alone, the resolver alone, and the resolver paired with raw watches on the same puts.
 */
final class PropagationVariants implements AutoCloseable {

    static final int INSTANCES = 10;

    static final String RAW = "prop-raw";

    static final String SOLO = "prop-resolver";

    static final String PAIRED = "propagation";

    static final String RAW_WATCH = "raw watch";

    static final String RESOLVER = "resolver";

    static final String RESOLVER_OWN_WORK = "resolver's own work";

    static final String PAIRED_WATCH = "paired raw watch";

    static final String PAIRED_SAME_CLIENT_WATCH = "paired same-client watch";

    static final String PAIRED_RESOLVER = "paired resolver";

    static final String PAIRED_OVER_WATCH = "paired overhead vs own-client watch";

    static final String PAIRED_OVER_SAME_CLIENT_WATCH = "paired overhead vs same-client watch";

    private static final int FIRST_PORT = 20_000;

    private final Client writer;

    private final TimedClient resolverClient;

    private final FloorWatch rawWatch;

    private final FloorWatch pairedWatch;

    private final FloorWatch pairedSameClientWatch;

    private final ResolverProbe solo;

    private final ResolverProbe paired;

    private int port = FIRST_PORT + 100;

    private int change;

    private PropagationVariants(Client writer, TimedClient resolverClient, FloorWatch rawWatch,
            FloorWatch pairedWatch, FloorWatch pairedSameClientWatch, ResolverProbe solo, ResolverProbe paired) {
        this.writer = writer;
        this.resolverClient = resolverClient;
        this.rawWatch = rawWatch;
        this.pairedWatch = pairedWatch;
        this.pairedSameClientWatch = pairedSameClientWatch;
        this.solo = solo;
        this.paired = paired;
    }

    /** Puts the endpoints of every prefix, opens the watches and resolvers and waits for their first lists. */
    static PropagationVariants start(EtcdCluster etcd, Client writer, TimedClient resolverClient,
            ServiceWatches watches) {
        for (String prefix : List.of(RAW, SOLO, PAIRED)) {
            Etcd.putAll(writer, INSTANCES, (i) -> key(prefix, i), (i) -> FIRST_PORT + i);
        }
        Expectation<List<EquivalentAddressGroup>> soloListed = listsAll();
        Expectation<List<EquivalentAddressGroup>> pairedListed = listsAll();
        PropagationVariants variants = new PropagationVariants(writer, resolverClient, new FloorWatch(etcd, RAW + "/"),
                new FloorWatch(etcd, PAIRED + "/"), new FloorWatch(resolverClient, PAIRED + "/"),
                ResolverProbe.start(Etcd.provider(watches), SOLO, soloListed),
                ResolverProbe.start(Etcd.provider(watches), PAIRED, pairedListed));
        soloListed.await(Etcd.TIMEOUT, "the first list of " + SOLO);
        pairedListed.await(Etcd.TIMEOUT, "the first list of " + PAIRED);
        return variants;
    }

    /** A change seen by a raw watch alone. */
    Map<String, Long> raw() {
        Change change = next(RAW);
        Expectation<WatchEvent> watched = this.rawWatch.expect(change.isThis());
        long start = change.put();
        return Map.of(RAW_WATCH, watched.await(Etcd.TIMEOUT, change.what("the raw watch")) - start);
    }

    /** A change followed by the resolver alone. */
    Map<String, Long> resolver() {
        Change change = next(SOLO);
        Expectation<List<EquivalentAddressGroup>> resolved = this.solo.expect(change.isListed());
        Expectation<WatchEvent> delivered = this.resolverClient.expectDelivery(change.isThis());
        long start = change.put();
        long resolvedAt = resolved.await(Etcd.TIMEOUT, change.what("the resolver"));
        long deliveredAt = delivered.await(Etcd.TIMEOUT, change.what("jetcd's delivery to the resolver"));
        Map<String, Long> times = new LinkedHashMap<>();
        times.put(RESOLVER, resolvedAt - start);
        times.put(RESOLVER_OWN_WORK, resolvedAt - deliveredAt);
        return times;
    }

    /** A change followed by the resolver and two raw watches at once. */
    Map<String, Long> paired() {
        Change change = next(PAIRED);
        Expectation<List<EquivalentAddressGroup>> resolved = this.paired.expect(change.isListed());
        Expectation<WatchEvent> watched = this.pairedWatch.expect(change.isThis());
        Expectation<WatchEvent> watchedSameClient = this.pairedSameClientWatch.expect(change.isThis());
        long start = change.put();
        long resolvedAt = resolved.await(Etcd.TIMEOUT, change.what("the resolver"));
        long watchedAt = watched.await(Etcd.TIMEOUT, change.what("the raw watch"));
        long watchedSameClientAt = watchedSameClient.await(Etcd.TIMEOUT, change.what("the same-client watch"));
        Map<String, Long> times = new LinkedHashMap<>();
        times.put(PAIRED_WATCH, watchedAt - start);
        times.put(PAIRED_SAME_CLIENT_WATCH, watchedSameClientAt - start);
        times.put(PAIRED_RESOLVER, resolvedAt - start);
        times.put(PAIRED_OVER_WATCH, resolvedAt - watchedAt);
        times.put(PAIRED_OVER_SAME_CLIENT_WATCH, resolvedAt - watchedSameClientAt);
        return times;
    }

    @Override
    public void close() {
        this.solo.close();
        this.paired.close();
        this.rawWatch.close();
        this.pairedWatch.close();
        this.pairedSameClientWatch.close();
    }

    private Change next(String prefix) {
        return new Change(key(prefix, this.change++ % INSTANCES), this.port++);
    }

    private static Expectation<List<EquivalentAddressGroup>> listsAll() {
        return new Expectation<>((eags) -> eags.size() == INSTANCES);
    }

    private static String key(String prefix, int instance) {
        return prefix + "/instance-" + instance;
    }

    /** One put of {@code key} with a port not used before. */
    private final class Change {

        private final String key;

        private final int port;

        private Change(String key, int port) {
            this.key = key;
            this.port = port;
        }

        Predicate<WatchEvent> isThis() {
            String addr = "\"127.0.0.1:" + this.port + "\"";
            return (event) -> FloorWatch.isPutOf(event, this.key)
                    && event.getKeyValue().getValue().toString(StandardCharsets.UTF_8).contains(addr);
        }

        Predicate<List<EquivalentAddressGroup>> isListed() {
            return (eags) -> ResolverProbe.hasPort(eags, this.port);
        }

        /** Puts the change and returns the time just before. */
        long put() {
            long start = System.nanoTime();
            Etcd.put(PropagationVariants.this.writer, this.key, this.port);
            return start;
        }

        String what(String who) {
            return who + " to see port " + this.port + " of " + this.key;
        }
    }
}
