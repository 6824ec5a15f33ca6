package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * The ways benchmark 1 times a change, each on a prefix of its own so that one variant's puts reach only its own
 * watches: a raw watch alone, the resolver alone, and the resolver paired with raw watches on the same puts, on a
 * service of 10 endpoints whose ports move; and the resolver alone and paired the way etcd's Go resolver anchor
 * measures, every change a new endpoint (so the list grows with every change, as the anchor's does).
 */
final class PropagationVariants implements AutoCloseable {

    static final int INSTANCES = 10;

    static final String PAIRED = "propagation";

    static final String RAW_WATCH = "raw watch";

    static final String RESOLVER = "resolver";

    static final String RESOLVER_OWN_WORK = "resolver's own work";

    static final String PAIRED_WATCH = "paired raw watch";

    static final String PAIRED_SAME_CLIENT_WATCH = "paired same-client watch";

    static final String PAIRED_RESOLVER = "paired resolver";

    static final String PAIRED_OVER_WATCH = "paired overhead vs own-client watch";

    static final String PAIRED_OVER_SAME_CLIENT_WATCH = "paired overhead vs same-client watch";

    static final String GROWING_RESOLVER = "growing: resolver";

    static final String GROWING_OVER_WATCH = "growing: paired overhead vs own-client watch";

    private static final String RAW = "prop-raw";

    private static final String SOLO = "prop-resolver";

    private static final String GROWING_SOLO = "prop-growing-resolver";

    private static final String GROWING_PAIRED = "prop-growing-paired";

    private static final int FIRST_PORT = 20_000;

    private final Client writer;

    private final TimedClient resolverClient;

    private final Watches watches;

    private int port = FIRST_PORT + 100;

    private int change;

    private PropagationVariants(Client writer, TimedClient resolverClient, Watches watches) {
        this.writer = writer;
        this.resolverClient = resolverClient;
        this.watches = watches;
    }

    /** Puts the first endpoints of every prefix, opens the watches and resolvers and waits for their first lists. */
    static PropagationVariants start(EtcdCluster etcd, Client writer, TimedClient resolverClient,
            ServiceDirectory serviceWatches) {
        for (String prefix : List.of(RAW, SOLO, PAIRED, GROWING_SOLO, GROWING_PAIRED)) {
            Etcd.putAll(writer, INSTANCES, (i) -> prefix + "/instance-" + i, (i) -> FIRST_PORT + i);
        }
        Expectation<List<EquivalentAddressGroup>> solo = listsAll();
        Expectation<List<EquivalentAddressGroup>> paired = listsAll();
        Expectation<List<EquivalentAddressGroup>> growingSolo = listsAll();
        Expectation<List<EquivalentAddressGroup>> growingPaired = listsAll();
        Watches watches = new Watches(new FloorWatch(etcd, RAW + "/"), new FloorWatch(etcd, PAIRED + "/"),
                new FloorWatch(resolverClient, PAIRED + "/"), new FloorWatch(etcd, GROWING_PAIRED + "/"),
                ResolverProbe.start(Etcd.provider(serviceWatches), SOLO, solo),
                ResolverProbe.start(Etcd.provider(serviceWatches), PAIRED, paired),
                ResolverProbe.start(Etcd.provider(serviceWatches), GROWING_SOLO, growingSolo),
                ResolverProbe.start(Etcd.provider(serviceWatches), GROWING_PAIRED, growingPaired));
        for (Expectation<List<EquivalentAddressGroup>> first : List.of(solo, paired, growingSolo, growingPaired)) {
            first.await(Etcd.TIMEOUT, "the first lists of the propagation resolvers");
        }
        return new PropagationVariants(writer, resolverClient, watches);
    }

    /** A change seen by a raw watch alone. */
    Map<String, Long> raw() {
        Change change = moving(RAW);
        Expectation<WatchEvent> watched = this.watches.raw.expect(change.isThis());
        long start = change.put();
        return Map.of(RAW_WATCH, watched.await(Etcd.TIMEOUT, change.what("the raw watch")) - start);
    }

    /** A change followed by the resolver alone. */
    Map<String, Long> resolver() {
        return alone(this.watches.solo, moving(SOLO), RESOLVER, RESOLVER_OWN_WORK);
    }

    /** A new endpoint followed by the resolver alone. */
    Map<String, Long> resolverGrowing() {
        return alone(this.watches.growingSolo, growing(GROWING_SOLO), GROWING_RESOLVER, null);
    }

    /** A change followed by the resolver and two raw watches at once. */
    Map<String, Long> paired() {
        Change change = moving(PAIRED);
        Expectation<List<EquivalentAddressGroup>> resolved = this.watches.paired.expect(change.isListed());
        Expectation<WatchEvent> watched = this.watches.pairedWatch.expect(change.isThis());
        Expectation<WatchEvent> watchedSameClient = this.watches.pairedSameClientWatch.expect(change.isThis());
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

    /** A new endpoint followed by the resolver and a raw watch on another client at once. */
    Map<String, Long> pairedGrowing() {
        Change change = growing(GROWING_PAIRED);
        Expectation<List<EquivalentAddressGroup>> resolved = this.watches.growingPaired.expect(change.isListed());
        Expectation<WatchEvent> watched = this.watches.growingPairedWatch.expect(change.isThis());
        long start = change.put();
        long resolvedAt = resolved.await(Etcd.TIMEOUT, change.what("the resolver"));
        long watchedAt = watched.await(Etcd.TIMEOUT, change.what("the raw watch"));
        return Map.of(GROWING_OVER_WATCH, resolvedAt - watchedAt);
    }

    @Override
    public void close() {
        this.watches.close();
    }

    private Map<String, Long> alone(ResolverProbe probe, Change change, String resolverSeries, String ownWorkSeries) {
        Expectation<List<EquivalentAddressGroup>> resolved = probe.expect(change.isListed());
        Expectation<WatchEvent> delivered = this.resolverClient.expectDelivery(change.isThis());
        long start = change.put();
        long resolvedAt = resolved.await(Etcd.TIMEOUT, change.what("the resolver"));
        long deliveredAt = delivered.await(Etcd.TIMEOUT, change.what("jetcd's delivery to the resolver"));
        Map<String, Long> times = new LinkedHashMap<>();
        times.put(resolverSeries, resolvedAt - start);
        if (ownWorkSeries != null) {
            times.put(ownWorkSeries, resolvedAt - deliveredAt);
        }
        return times;
    }

    /** One of the prefix's endpoints gets a port not used before. */
    private Change moving(String prefix) {
        return new Change(prefix + "/instance-" + this.change++ % INSTANCES, this.port++);
    }

    /** A new endpoint under the prefix, keyed by its address like the Go anchor's {@code svc/ADDR}. */
    private Change growing(String prefix) {
        int port = this.port++;
        return new Change(prefix + "/127.0.0.1:" + port, port);
    }

    private static Expectation<List<EquivalentAddressGroup>> listsAll() {
        return new Expectation<>((eags) -> eags.size() == INSTANCES);
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

    /** The raw watches and resolvers of every variant. */
    private record Watches(FloorWatch raw, FloorWatch pairedWatch, FloorWatch pairedSameClientWatch,
            FloorWatch growingPairedWatch, ResolverProbe solo, ResolverProbe paired, ResolverProbe growingSolo,
            ResolverProbe growingPaired) implements AutoCloseable {

        @Override
        public void close() {
            List.of(this.solo, this.paired, this.growingSolo, this.growingPaired).forEach(ResolverProbe::close);
            List.of(this.raw, this.pairedWatch, this.pairedSameClientWatch, this.growingPairedWatch)
                .forEach(FloorWatch::close);
        }
    }
}
