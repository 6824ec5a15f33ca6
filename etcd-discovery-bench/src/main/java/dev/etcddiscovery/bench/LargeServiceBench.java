package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * Benchmark 3: one service with many endpoints (10,000, then 100,000 in the full run): the time to the first
 * complete list, the time for one changed endpoint to reach gRPC, the heap the resolver retains, and how it copes
 * with every endpoint being registered while it watches.
 */
final class LargeServiceBench {

    private static final String SERVICE = "large";

    private static final int FIRST_PORT = 10_000;

    /** Endpoints per loopback host: 100,000 endpoints do not fit in the ports of one. */
    private static final int PER_HOST = 50_000;

    static final Duration FULL_LIST_TIMEOUT = Duration.ofSeconds(60);

    private LargeServiceBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report, Figures figures) {
        settings.largeEndpoints().forEach((count) -> run(etcd, settings, report, figures, count));
    }

    private static void run(EtcdCluster etcd, Settings settings, Report report, Figures figures, int count) {
        LargeInitialResolves initial;
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
                    Etcd.putValues(writer, count, LargeServiceBench::key,
                            (i) -> Etcd.endpointValue(address(i), null));
                    long lastWatched = last.await(FULL_LIST_TIMEOUT, "the raw watch to see every put");
                    long complete = full.await(FULL_LIST_TIMEOUT, "the resolver to list all " + count);
                    fillNanos = complete - start;
                    fillLagNanos = complete - lastWatched;
                    fillLists = probe.results();
                }
            }
            try (Client unlimited = etcd.clientBuilder().maxInboundMessageSize(Integer.MAX_VALUE).build()) {
                initial = new LargeInitialResolves(resolverClient, unlimited, SERVICE, count);
                initial.run(settings.largeResolveWarmup(), settings.largeResolveRounds());
            }
            try (ServiceDirectory watches = Etcd.watches(resolverClient);
                    FloorWatch floor = new FloorWatch(etcd, SERVICE + "/");
                    FloorWatch sameClient = new FloorWatch(resolverClient, SERVICE + "/")) {
                EtcdNameResolverProvider provider = Etcd.provider(watches);
                Expectation<List<EquivalentAddressGroup>> full = complete(count);
                try (ResolverProbe probe = ResolverProbe.start(provider, SERVICE, full)) {
                    full.await(FULL_LIST_TIMEOUT, "the first list of " + count);
                    retained = additionalResolverHeap(resolverClient, count);
                    LargeChange change = new LargeChange(writer, resolverClient, probe, floor, sameClient, count);
                    changes = Interleaved.run(List.of(change::next), settings.warmup(), settings.largeChanges());
                }
            }
            Etcd.deletePrefix(writer, SERVICE + "/");
        }
        report.section("3. One service with " + String.format("%,d", count) + " endpoints");
        report.note("Keys `" + SERVICE + "/instance-i` with the value the registration writes (addresses "
                + "127.0.h.1:port, " + String.format("%,d", PER_HOST) + " ports per host). Initial resolve: "
                + "fresh `ServiceDirectory` (so a real list from etcd) → listener has all " + count + " addresses; "
                + "the floor is jetcd's own `get` of the prefix in one response (on a client without gRPC's 4 MiB "
                + "inbound limit, which the resolver's client has: it reads in pages at one revision, the first of "
                + "1,000 keys, then as many as fit in 1 MiB), taken in the same rounds; "
                + settings.largeResolveWarmup() + " warm-up rounds not counted (the first of them is the cold row). "
                + "Where a resolve's time goes: until jetcd answered the resolver's last page (etcd, transfer, "
                + "protobuf "
                + "and jetcd), then the resolver's own work (parsing every value, the table, handing the list to "
                + "the channel's context). Per change: one endpoint's port changes, timed like benchmark 1, after "
                + settings.warmup().changes() + " warm-up changes.");
        report.table(Report.latencyHeaders("what"))
            .row(Report.latencyRow("jetcd get of the prefix, one response (floor)", initial.listFloor))
            .row(Report.latencyRow("jetcd get in pages of " + String.format("%,d", initial.pageSize())
                    + ", one after the other, at the first page's revision (floor of a paged list)",
                    initial.pagedFloor))
            .row(Report.latencyRow("initial resolve → listener", initial.resolved))
            .row(Report.latencyRow("initial resolve → listener, rounds no garbage collection overlapped",
                    initial.resolvedWithoutGc))
            .row(Report.latencyRow("where it goes: start → jetcd answered the resolver's last page",
                    initial.listAnswered))
            .row(Report.latencyRow("where it goes: jetcd's answer → listener (the resolver's own work)",
                    initial.afterList))
            .row(Report.latencyRow("cold: the first initial resolve of this benchmark", initial.cold))
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
                + "its watch; heap used after full GCs with one more such resolver holding the list minus without it, the median of three, so earlier garbage and buffers shared by all count for none): **" + Jvm.mib(retained)
                + " MiB** (" + retained / count + " bytes per endpoint). Targets (for 10,000): initial ≤ 50 ms (p50 "
                + Samples.ms(initial.resolved.percentile(50)) + "), change p99 ≤ 3 ms ("
                + Samples.ms(changes.warm(LargeChange.RESOLVER).percentile(99)) + "), heap ≤ 16 MiB.");
        report.note("Registering all " + count + " endpoints (256 puts in flight) while one resolver watched: "
                + Samples.ms(fillNanos) + " ms until its listener had them all, " + Samples.ms(fillLagNanos)
                + " ms after the raw watch had seen every put; " + fillLists + " lists were handed to gRPC (one per "
                + "watch response that changed something).");
        figures.put(Figures.large(Figures.LARGE_FIRST_UPDATE, count), initial.resolved);
        figures.put(Figures.large(Figures.LARGE_FIRST_UPDATE_COLD, count), initial.cold);
        figures.put(Figures.large(Figures.LARGE_CHANGE, count), changes.warm(LargeChange.RESOLVER));
        figures.put(Figures.large(Figures.LARGE_RETAINED_BYTES, count), retained);
    }

    private static Expectation<List<EquivalentAddressGroup>> complete(int count) {
        return new Expectation<>((eags) -> eags.size() == count);
    }

    static String key(int instance) {
        return SERVICE + "/instance-" + instance;
    }

    /** Endpoint {@code i}'s address: hosts 127.0.1.1, 127.0.2.1, ... (127.0.0.1 is left for the changes). */
    private static String address(int i) {
        return "127.0." + (1 + i / PER_HOST) + ".1:" + (FIRST_PORT + i % PER_HOST);
    }

    /**
     * The heap a resolver holding {@code count} endpoints costs, as the difference one more makes, three times over
     * with the median kept: a "before" figure taken ahead of the first would also count garbage and pooled buffers
     * freed in between, and so can one difference alone (single differences read 0.2 and 2.1 MiB for 10,000
     * endpoints where the object graph is ~8).
     */
    private static long additionalResolverHeap(Client client, int count) {
        List<ServiceDirectory> directories = new ArrayList<>();
        List<ResolverProbe> probes = new ArrayList<>();
        long[] differences = new long[3];
        try {
            long before = Jvm.retainedHeap();
            for (int i = 0; i < differences.length; i++) {
                ServiceDirectory watches = Etcd.watches(client);
                directories.add(watches);
                Expectation<List<EquivalentAddressGroup>> full = complete(count);
                probes.add(ResolverProbe.start(Etcd.provider(watches), SERVICE, full));
                full.await(FULL_LIST_TIMEOUT, "an additional resolver's first list of " + count);
                long after = Jvm.retainedHeap();
                differences[i] = after - before;
                before = after;
            }
        }
        finally {
            probes.forEach(ResolverProbe::close);
            directories.forEach(ServiceDirectory::close);
        }
        Arrays.sort(differences);
        return differences[1];
    }
}
