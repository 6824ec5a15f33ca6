package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * Benchmark 3: one service with many endpoints (10,000 in the full run): the time to the first complete list, the
 * time for one changed endpoint to reach gRPC, the heap the resolver retains, and how it copes with every endpoint
 * being registered while it watches.
 */
final class LargeServiceBench {

    private static final String SERVICE = "large";

    private static final int FIRST_PORT = 10_000;

    private static final int CHANGE_PORT = 40_000;

    private static final int CHANGE_WARMUP = 20;

    private static final Duration FULL_LIST_TIMEOUT = Duration.ofSeconds(60);

    private LargeServiceBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        int count = settings.largeEndpoints();
        Samples initial = new Samples();
        Samples listFloor = new Samples();
        Samples change = new Samples();
        Samples changeFloor = new Samples();
        Samples changeSameClient = new Samples();
        Samples changeDelivered = new Samples();
        long fillNanos;
        long fillLagNanos;
        long fillLists;
        long retained;
        try (Client writer = Etcd.client(etcd); TimedClient resolverClient = new TimedClient(Etcd.client(etcd))) {
            try (ServiceDirectory watches = Etcd.watches(resolverClient);
                    FloorWatch floor = new FloorWatch(etcd, SERVICE + "/")) {
                Expectation<List<EquivalentAddressGroup>> full = complete(count);
                AtomicInteger puts = new AtomicInteger();
                Expectation<WatchEvent> last = floor.expect((event) -> puts.incrementAndGet() == count);
                try (ResolverProbe probe = ResolverProbe.start(Etcd.provider(watches), SERVICE, full)) {
                    long start = System.nanoTime();
                    Etcd.putAll(writer, count, LargeServiceBench::key, (i) -> FIRST_PORT + i);
                    long lastWatched = last.await(FULL_LIST_TIMEOUT, "the raw watch to see every put");
                    long complete = full.await(FULL_LIST_TIMEOUT, "the resolver to list all " + count);
                    fillNanos = complete - start;
                    fillLagNanos = complete - lastWatched;
                    fillLists = probe.results();
                }
            }
            for (int round = 0; round < settings.largeResolveRounds(); round++) {
                long start = System.nanoTime();
                Etcd.join(resolverClient.getKVClient().get(Etcd.bytes(SERVICE + "/"),
                        GetOption.builder().isPrefix(true).build()));
                listFloor.add(System.nanoTime() - start);
                try (ServiceDirectory watches = Etcd.watches(resolverClient)) {
                    Expectation<List<EquivalentAddressGroup>> full = complete(count);
                    start = System.nanoTime();
                    try (ResolverProbe probe = ResolverProbe.start(Etcd.provider(watches), SERVICE, full)) {
                        initial.add(full.await(FULL_LIST_TIMEOUT, "the first list of " + count) - start);
                    }
                }
            }
            long before = Jvm.retainedHeap();
            try (ServiceDirectory watches = Etcd.watches(resolverClient);
                    FloorWatch floor = new FloorWatch(etcd, SERVICE + "/");
                    FloorWatch sameClient = new FloorWatch(resolverClient, SERVICE + "/")) {
                EtcdNameResolverProvider provider = Etcd.provider(watches);
                Expectation<List<EquivalentAddressGroup>> full = complete(count);
                try (ResolverProbe probe = ResolverProbe.start(provider, SERVICE, full)) {
                    full.await(FULL_LIST_TIMEOUT, "the first list of " + count);
                    retained = Jvm.retainedHeap() - before;
                    for (int i = 0; i < CHANGE_WARMUP + settings.largeChanges(); i++) {
                        String key = key((i * 7919) % count);
                        int port = CHANGE_PORT + i;
                        Expectation<List<EquivalentAddressGroup>> resolved = probe.expect((eags) -> true);
                        Expectation<WatchEvent> watched = floor.expect((event) -> FloorWatch.isPutOf(event, key));
                        Expectation<WatchEvent> watchedSameClient = sameClient
                            .expect((event) -> FloorWatch.isPutOf(event, key));
                        Expectation<WatchEvent> deliveredToResolver = resolverClient
                            .expectDelivery((event) -> FloorWatch.isPutOf(event, key));
                        long start = System.nanoTime();
                        Etcd.put(writer, key, port);
                        long resolvedAt = resolved.await(Etcd.TIMEOUT, "the resolver to list port " + port);
                        long watchedAt = watched.await(Etcd.TIMEOUT, "the raw watch to see port " + port);
                        long watchedSameClientAt = watchedSameClient.await(Etcd.TIMEOUT,
                                "the raw watch on the resolver's client to see port " + port);
                        long deliveredAt = deliveredToResolver.await(Etcd.TIMEOUT,
                                "jetcd to deliver port " + port + " to the resolver");
                        if (!ResolverProbe.hasPort(probe.latest(), port) || probe.latest().size() != count) {
                            throw new IllegalStateException("The list after changing " + key + " is wrong");
                        }
                        if (i >= CHANGE_WARMUP) {
                            change.add(resolvedAt - start);
                            changeFloor.add(watchedAt - start);
                            changeSameClient.add(watchedSameClientAt - start);
                            changeDelivered.add(deliveredAt - start);
                        }
                    }
                }
            }
            Etcd.deletePrefix(writer, SERVICE + "/");
        }
        report.section("3. One service with " + String.format("%,d", count) + " endpoints");
        report.note("Keys `" + SERVICE + "/instance-i` with the value the registration writes. Initial resolve: "
                + "fresh `ServiceDirectory` (so a real list from etcd) → listener has all " + count + " addresses; "
                + "the floor is jetcd's own `get` of the prefix. Per change: one endpoint's port changes, timed "
                + "like benchmark 1 (" + CHANGE_WARMUP + " warm-up changes not counted).");
        report.table(Report.latencyHeaders("what"))
            .row(Report.latencyRow("jetcd get of the prefix (floor)", listFloor))
            .row(Report.latencyRow("initial resolve → listener", initial))
            .row(Report.latencyRow("one change: raw jetcd watch, own client (floor)", changeFloor))
            .row(Report.latencyRow("one change: raw jetcd watch on the resolver's client", changeSameClient))
            .row(Report.latencyRow("one change: resolver → listener", change))
            .row(Report.latencyRow("one change: overhead vs own-client watch", change.minus(changeFloor)))
            .row(Report.latencyRow("one change: overhead vs same-client watch", change.minus(changeSameClient)))
            .row(Report.latencyRow("one change: resolver's own work (jetcd delivery → listener)",
                    change.minus(changeDelivered)))
            .end();
        report.note("Retained heap of the resolver holding " + count + " endpoints (ServiceDirectory + resolver + "
                + "its watch; heap used after full GCs with it minus before it): **" + Jvm.mib(retained)
                + " MiB** (" + retained / count + " bytes per endpoint). Targets: initial ≤ 50 ms (p50 "
                + Samples.ms(initial.percentile(50)) + "), change p99 ≤ 3 ms (" + Samples.ms(change.percentile(99))
                + "), heap ≤ 16 MiB.");
        report.note("Registering all " + count + " endpoints (256 puts in flight) while one resolver watched: "
                + Samples.ms(fillNanos) + " ms until its listener had them all, " + Samples.ms(fillLagNanos)
                + " ms after the raw watch had seen every put; " + fillLists + " lists were handed to gRPC (one per "
                + "watch response that changed something).");
    }

    private static Expectation<List<EquivalentAddressGroup>> complete(int count) {
        return new Expectation<>((eags) -> eags.size() == count);
    }

    private static String key(int instance) {
        return SERVICE + "/instance-" + instance;
    }
}
