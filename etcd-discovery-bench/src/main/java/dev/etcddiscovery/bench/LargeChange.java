package dev.etcddiscovery.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * One change of benchmark 3: an endpoint of the large service gets a new address (127.0.0.1, which no endpoint has
 * before its change, and a new port), timed at the resolver's listener,
 * at raw watches on their own and on the resolver's client, and at jetcd's delivery to the resolver.
 */
final class LargeChange {

    static final String WATCH = "watch";

    static final String SAME_CLIENT_WATCH = "same-client watch";

    static final String RESOLVER = "resolver";

    static final String OVER_WATCH = "overhead vs own-client watch";

    static final String OVER_SAME_CLIENT_WATCH = "overhead vs same-client watch";

    static final String OWN_WORK = "own work";

    private static final int FIRST_PORT = 40_000;

    private final Client writer;

    private final TimedClient resolverClient;

    private final ResolverProbe probe;

    private final FloorWatch floor;

    private final FloorWatch sameClient;

    private final int count;

    private int change;

    LargeChange(Client writer, TimedClient resolverClient, ResolverProbe probe, FloorWatch floor,
            FloorWatch sameClient, int count) {
        this.writer = writer;
        this.resolverClient = resolverClient;
        this.probe = probe;
        this.floor = floor;
        this.sameClient = sameClient;
        this.count = count;
    }

    Map<String, Long> next() {
        int i = this.change++;
        String key = LargeServiceBench.key((int) ((i * 7919L) % this.count));
        int port = FIRST_PORT + i % 20_000;
        Expectation<List<EquivalentAddressGroup>> resolved = this.probe
            .expect((eags) -> ResolverProbe.hasAddress(eags, "127.0.0.1", port));
        Expectation<WatchEvent> watched = this.floor.expect((event) -> FloorWatch.isPutOf(event, key));
        Expectation<WatchEvent> watchedSameClient = this.sameClient.expect((event) -> FloorWatch.isPutOf(event, key));
        Expectation<WatchEvent> delivered = this.resolverClient
            .expectDelivery((event) -> FloorWatch.isPutOf(event, key));
        long start = System.nanoTime();
        Etcd.put(this.writer, key, port);
        long resolvedAt = resolved.await(Etcd.TIMEOUT, "the resolver to list port " + port);
        long watchedAt = watched.await(Etcd.TIMEOUT, "the raw watch to see port " + port);
        long watchedSameClientAt = watchedSameClient.await(Etcd.TIMEOUT,
                "the raw watch on the resolver's client to see port " + port);
        long deliveredAt = delivered.await(Etcd.TIMEOUT, "jetcd to deliver port " + port + " to the resolver");
        if (this.probe.latest().size() != this.count) {
            throw new IllegalStateException("The list after changing " + key + " has " + this.probe.latest().size()
                    + " endpoints instead of " + this.count);
        }
        Map<String, Long> times = new LinkedHashMap<>();
        times.put(WATCH, watchedAt - start);
        times.put(SAME_CLIENT_WATCH, watchedSameClientAt - start);
        times.put(RESOLVER, resolvedAt - start);
        times.put(OVER_WATCH, resolvedAt - watchedAt);
        times.put(OVER_SAME_CLIENT_WATCH, resolvedAt - watchedSameClientAt);
        times.put(OWN_WORK, resolvedAt - deliveredAt);
        return times;
    }
}
