package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * Benchmark 3: one service with many endpoints (10,000 in the full run): the time to the first complete list, the
 * time for one changed endpoint to reach gRPC, the heap the resolver retains, and how it copes with every endpoint
 * being registered while it watches.
 */
final class LargeServiceBench {

    private static final int PAGE = 1_000;

    private static final String SERVICE = "large";

    private static final int FIRST_PORT = 10_000;

    private static final Duration FULL_LIST_TIMEOUT = Duration.ofSeconds(60);

    private LargeServiceBench() {
    }

    /**
     * Gets the prefix in pages of {@code pageSize} keys, each asked for once the one before it answered, all at the
     * first page's revision: what a resolver that parsed each page while the next one is on its way would wait for.
     */
    private static void pagedGet(Client client, int pageSize) {
        ByteSequence from = Etcd.bytes(SERVICE + "/");
        // the end of the prefix range: '0' follows '/'
        ByteSequence end = Etcd.bytes(SERVICE + "0");
        long revision = 0;
        while (true) {
            GetOption.Builder option = GetOption.builder().withRange(end).withLimit(pageSize);
            if (revision > 0) {
                option.withRevision(revision);
            }
            GetResponse page = Etcd.join(client.getKVClient().get(from, option.build()));
            revision = (revision > 0) ? revision : page.getHeader().getRevision();
            if (!page.isMore() || page.getKvs().isEmpty()) {
                return;
            }
            from = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(ByteSequence.from(new byte[] { 0 }));
        }
    }

    static void run(EtcdCluster etcd, Settings settings, Report report, Figures figures) {
        int count = settings.largeEndpoints();
        Samples initial = new Samples();
        Samples initialCold = new Samples();
        Samples listFloor = new Samples();
        Samples pagedFloor = new Samples();
        Interleaved changes;
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
            for (int round = -settings.largeResolveWarmup(); round < settings.largeResolveRounds(); round++) {
                long start = System.nanoTime();
                Etcd.join(resolverClient.getKVClient().get(Etcd.bytes(SERVICE + "/"),
                        GetOption.builder().isPrefix(true).build()));
                long listed = System.nanoTime() - start;
                long pagedStart = System.nanoTime();
                pagedGet(resolverClient, PAGE);
                long paged = System.nanoTime() - pagedStart;
                long resolved = initialResolve(resolverClient, count);
                if (round == -settings.largeResolveWarmup()) {
                    initialCold.add(resolved);
                }
                if (round >= 0) {
                    listFloor.add(listed);
                    pagedFloor.add(paged);
                    initial.add(resolved);
                }
            }
            try (ServiceDirectory watches = Etcd.watches(resolverClient);
                    FloorWatch floor = new FloorWatch(etcd, SERVICE + "/");
                    FloorWatch sameClient = new FloorWatch(resolverClient, SERVICE + "/")) {
                EtcdNameResolverProvider provider = Etcd.provider(watches);
                Expectation<List<EquivalentAddressGroup>> full = complete(count);
                try (ResolverProbe probe = ResolverProbe.start(provider, SERVICE, full)) {
                    full.await(FULL_LIST_TIMEOUT, "the first list of " + count);
                    retained = secondResolverHeap(resolverClient, count);
                    LargeChange change = new LargeChange(writer, resolverClient, probe, floor, sameClient, count);
                    changes = Interleaved.run(List.of(change::next), settings.warmup(), settings.largeChanges());
                }
            }
            Etcd.deletePrefix(writer, SERVICE + "/");
        }
        report.section("3. One service with " + String.format("%,d", count) + " endpoints");
        report.note("Keys `" + SERVICE + "/instance-i` with the value the registration writes. Initial resolve: "
                + "fresh `ServiceDirectory` (so a real list from etcd) → listener has all " + count + " addresses; "
                + "the floor is jetcd's own `get` of the prefix; " + settings.largeResolveWarmup() + " warm-up "
                + "resolves not counted (the first of them is the cold row). Per change: one endpoint's port "
                + "changes, timed like benchmark 1, after " + settings.warmup().changes() + " warm-up changes.");
        report.table(Report.latencyHeaders("what"))
            .row(Report.latencyRow("jetcd get of the prefix (floor)", listFloor))
            .row(Report.latencyRow("jetcd get in pages of " + String.format("%,d", PAGE) + ", one after the other, "
                    + "at the first page's revision (floor of a paged list)", pagedFloor))
            .row(Report.latencyRow("initial resolve → listener", initial))
            .row(Report.latencyRow("cold: the first initial resolve of this benchmark", initialCold))
            .end();
        report.table(GcColumns.HEADERS)
            .row(GcColumns.row("one change: raw jetcd watch, own client (floor)", changes, LargeChange.WATCH))
            .row(GcColumns.row("one change: raw jetcd watch on the resolver's client", changes,
                    LargeChange.SAME_CLIENT_WATCH))
            .row(GcColumns.row("one change: resolver → listener", changes, LargeChange.RESOLVER))
            .row(GcColumns.row("one change: overhead vs own-client watch", changes, LargeChange.OVER_WATCH))
            .row(GcColumns.row("one change: overhead vs same-client watch", changes,
                    LargeChange.OVER_SAME_CLIENT_WATCH))
            .row(GcColumns.row("one change: resolver's own work (jetcd delivery → listener)", changes,
                    LargeChange.OWN_WORK))
            .end();
        report.note("Cold (the first " + settings.warmup().cold() + " changes, JVM uptime " + changes.coldWindow()
                + "): resolver → listener p50 " + Samples.ms(changes.cold(LargeChange.RESOLVER).percentile(50))
                + " / p99 " + Samples.ms(changes.cold(LargeChange.RESOLVER).percentile(99)) + " ms. JIT (a round is "
                + settings.warmup().block() + " changes): " + changes.jit() + ". Garbage collections during the "
                + "measured changes: " + changes.gcPauses() + ".");
        report.note("Retained heap of the resolver holding " + count + " endpoints (ServiceDirectory + resolver + "
                + "its watch; heap used after full GCs with a second such resolver holding the list minus with one, so earlier garbage and buffers shared by both count for neither): **" + Jvm.mib(retained)
                + " MiB** (" + retained / count + " bytes per endpoint). Targets: initial ≤ 50 ms (p50 "
                + Samples.ms(initial.percentile(50)) + "), change p99 ≤ 3 ms ("
                + Samples.ms(changes.warm(LargeChange.RESOLVER).percentile(99)) + "), heap ≤ 16 MiB.");
        report.note("Registering all " + count + " endpoints (256 puts in flight) while one resolver watched: "
                + Samples.ms(fillNanos) + " ms until its listener had them all, " + Samples.ms(fillLagNanos)
                + " ms after the raw watch had seen every put; " + fillLists + " lists were handed to gRPC (one per "
                + "watch response that changed something).");
        figures.put(Figures.LARGE_FIRST_UPDATE, initial);
        figures.put(Figures.LARGE_FIRST_UPDATE_COLD, initialCold);
        figures.put(Figures.LARGE_CHANGE, changes.warm(LargeChange.RESOLVER));
        figures.put(Figures.LARGE_RETAINED_BYTES, retained);
    }

    /** Fresh watches on the connected client → the listener has all {@code count} endpoints, in nanoseconds. */
    private static long initialResolve(Client client, int count) {
        try (ServiceDirectory watches = Etcd.watches(client)) {
            Expectation<List<EquivalentAddressGroup>> full = complete(count);
            long start = System.nanoTime();
            try (ResolverProbe probe = ResolverProbe.start(Etcd.provider(watches), SERVICE, full)) {
                return full.await(FULL_LIST_TIMEOUT, "the first list of " + count) - start;
            }
        }
    }

    private static Expectation<List<EquivalentAddressGroup>> complete(int count) {
        return new Expectation<>((eags) -> eags.size() == count);
    }

    static String key(int instance) {
        return SERVICE + "/instance-" + instance;
    }

    /**
     * The heap a resolver holding {@code count} endpoints costs, as the difference a second one makes: a "before"
     * figure taken ahead of the first would also count garbage and pooled buffers freed in between (it once read
     * 0.2 MiB for 10,000 endpoints).
     */
    private static long secondResolverHeap(Client client, int count) {
        long withOne = Jvm.retainedHeap();
        try (ServiceDirectory watches = Etcd.watches(client)) {
            Expectation<List<EquivalentAddressGroup>> full = complete(count);
            try (ResolverProbe probe = ResolverProbe.start(Etcd.provider(watches), SERVICE, full)) {
                full.await(FULL_LIST_TIMEOUT, "a second resolver's first list of " + count);
                return Jvm.retainedHeap() - withOne;
            }
        }
    }
}
