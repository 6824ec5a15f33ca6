package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * Benchmark 9: how long after a server's key is deleted its clients stop handing it out, which is what the drain
 * delay has to cover. Our resolver (wired as the starter wires it) and etcd's own Go resolver follow the same
 * service, with a raw jetcd watch as the floor; each deletion is timed for all three. Quiet and loaded blocks take
 * turns: loaded, {@link ChurnLoad} puts back-to-back to another prefix that many watchers in this JVM follow.
 */
final class DrainBench {

    static final String SERVICE = "drain";

    private static final int BASE_ENDPOINTS = 10;

    private static final int BASE_PORT = 30_000;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DrainBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        Settings.Drain drain = settings.drain();
        GoDrainWatch.Availability go = settings.goAnchor() ? GoDrainWatch.prepare()
                : GoDrainWatch.Availability.none("switched off (--no-go, or a smoke run without --go)");
        Series quiet = new Series();
        Series loaded = new Series();
        String loadAtStart = Machine.loadAverage();
        long loadedNanos = 0;
        long loadedPuts = 0;
        long loadedEvents = 0;
        try (Client writer = Etcd.client(etcd); Client resolverClient = Etcd.client(etcd);
                StarterDirectory directory = new StarterDirectory(resolverClient);
                FloorWatch floor = new FloorWatch(etcd, SERVICE + "/");
                ChurnLoad load = new ChurnLoad(etcd, drain.watchers(), drain.putsInFlight())) {
            Etcd.putAll(writer, BASE_ENDPOINTS, (i) -> key(BASE_PORT + i), (i) -> BASE_PORT + i);
            Expectation<List<EquivalentAddressGroup>> first = new Expectation<>(
                    (list) -> list.size() == BASE_ENDPOINTS);
            try (ResolverProbe probe = ResolverProbe.start(directory.provider(), SERVICE, first);
                    GoDrainWatch goWatch = go.built()
                            ? GoDrainWatch.start(etcd.endpoint(), SERVICE, (list) -> list.size() == BASE_ENDPOINTS)
                            : null) {
                first.await(TIMEOUT, "the resolver's first list of " + SERVICE);
                int total = drain.warmup() + drain.rounds();
                long blockStart = 0;
                long putsAtBlockStart = 0;
                long eventsAtBlockStart = 0;
                boolean countingLoad = false;
                for (int i = 0; i < total; i++) {
                    boolean measured = i >= drain.warmup();
                    boolean underLoad = (i / drain.block()) % 2 == 1;
                    if (i % drain.block() == 0) {
                        if (countingLoad) {
                            loadedNanos += System.nanoTime() - blockStart;
                            loadedPuts += load.puts() - putsAtBlockStart;
                            loadedEvents += load.events() - eventsAtBlockStart;
                        }
                        load.active(underLoad);
                        countingLoad = underLoad && measured;
                        blockStart = System.nanoTime();
                        putsAtBlockStart = load.puts();
                        eventsAtBlockStart = load.events();
                    }
                    long[] times = deleteOne(writer, probe, goWatch, floor, 40_000 + i % 20_000);
                    if (measured) {
                        (underLoad ? loaded : quiet).add(times);
                    }
                }
                if (countingLoad) {
                    loadedNanos += System.nanoTime() - blockStart;
                    loadedPuts += load.puts() - putsAtBlockStart;
                    loadedEvents += load.events() - eventsAtBlockStart;
                }
                load.active(false);
            }
            Etcd.deletePrefix(writer, SERVICE + "/");
            Etcd.deletePrefix(writer, ChurnLoad.PREFIX);
        }
        report(report, settings, go, quiet, loaded, loadAtStart, loadedNanos, loadedPuts, loadedEvents);
    }

    /** Puts one endpoint, waits until every client has it, deletes it: nanoseconds to raw watch, ours, Go's. */
    private static long[] deleteOne(Client writer, ResolverProbe probe, GoDrainWatch goWatch, FloorWatch floor,
            int port) {
        String address = "127.0.0.1:" + port;
        String key = key(port);
        Expectation<List<EquivalentAddressGroup>> javaUp = probe.expect((list) -> ResolverProbe.hasPort(list, port));
        Expectation<Set<String>> goUp = (goWatch != null) ? goWatch.expect((list) -> list.contains(address)) : null;
        Etcd.join(Etcd.put(writer, key, port));
        javaUp.await(TIMEOUT, "the resolver to list " + address);
        if (goUp != null) {
            goUp.await(TIMEOUT, "etcd's Go resolver to list " + address);
        }
        Expectation<List<EquivalentAddressGroup>> javaGone = probe
            .expect((list) -> !ResolverProbe.hasPort(list, port));
        Expectation<Set<String>> goGone = (goWatch != null) ? goWatch.expect((list) -> !list.contains(address))
                : null;
        Expectation<WatchEvent> rawGone = floor.expect((event) -> FloorWatch.isDeleteOf(event, key));
        long start = System.nanoTime();
        Etcd.join(writer.getKVClient().delete(Etcd.bytes(key)));
        long raw = rawGone.await(TIMEOUT, "the raw watch to see " + key + " deleted") - start;
        long ours = javaGone.await(TIMEOUT, "the resolver to drop " + address) - start;
        long theirs = (goGone != null) ? goGone.await(TIMEOUT, "etcd's Go resolver to drop " + address) - start
                : -1;
        return new long[] { raw, ours, theirs };
    }

    private static String key(int port) {
        return SERVICE + "/127.0.0.1:" + port;
    }

    private static void report(Report report, Settings settings, GoDrainWatch.Availability go, Series quiet,
            Series loaded, String loadAtStart, long loadedNanos, long loadedPuts, long loadedEvents) {
        Settings.Drain drain = settings.drain();
        report.section("9. Drain: key deleted → clients stop handing out the server");
        report.note("A service of " + BASE_ENDPOINTS + " endpoints; per round one more endpoint is put, and once every "
                + "client lists it, deleted. Times from just before the delete to: a raw jetcd watch on its own "
                + "client (the floor), our resolver (a `ServiceDirectory` on the shared watch stream, as the "
                + "starter wires it) handing the channel's listener the list without it, on the channel's "
                + "synchronization context, and etcd's own Go resolver handing its `ClientConn` the list without it "
                + "(its own process, stamped in Go with the JVM's clock). " + drain.warmup() + " warm-up rounds, "
                + "then " + drain.rounds() + " measured; quiet and loaded blocks of " + drain.block()
                + " rounds take turns. *Loaded*: " + drain.putsInFlight() + " puts in flight back-to-back to `"
                + ChurnLoad.PREFIX + "`, which " + drain.watchers() + " watchers in this JVM follow.");
        if (!go.built()) {
            report.note("etcd's Go resolver is not measured: " + go.description() + ".");
        }
        Report.Table table = report.table(Report.latencyHeaders("key deleted → ..."));
        quiet.rows(table, "quiet", go.built());
        loaded.rows(table, "loaded", go.built());
        table.end();
        double seconds = loadedNanos / 1e9;
        report.note(String.format(Locale.ROOT, "Load while loaded: %,.0f puts/s, %,.0f watch events/s "
                + "delivered in this JVM. Load average (1/5/15 min) at the start: %s; at the end: %s.",
                (seconds > 0) ? loadedPuts / seconds : 0.0, (seconds > 0) ? loadedEvents / seconds : 0.0,
                loadAtStart, Machine.loadAverage()));
        long slowest = Math.max(quiet.slowestClient(), loaded.slowestClient());
        Duration drainDelay = new EtcdDiscoveryProperties().getRegistration().getDrainDelay();
        report.note("Slowest deletion seen by a client (ours or Go's): " + Samples.ms(slowest) + " ms; the default "
                + "`etcd.discovery.registration.drain-delay` (" + drainDelay.toMillis() + " ms) is "
                + String.format(Locale.ROOT, "%.0f", drainDelay.toNanos() / (double) Math.max(1, slowest))
                + "× that.");
    }

    /** The three times of every measured deletion of one kind of block. */
    private static final class Series {

        private final Samples raw = new Samples();

        private final Samples ours = new Samples();

        private final Samples go = new Samples();

        void add(long[] times) {
            this.raw.add(times[0]);
            this.ours.add(times[1]);
            if (times[2] >= 0) {
                this.go.add(times[2]);
            }
        }

        void rows(Report.Table table, String kind, boolean withGo) {
            if (this.raw.size() == 0) {
                return;
            }
            table.row(Report.latencyRow(kind + ": raw jetcd watch, own client (floor)", this.raw));
            table.row(Report.latencyRow(kind + ": our resolver → channel's listener", this.ours));
            if (withGo && this.go.size() > 0) {
                table.row(Report.latencyRow(kind + ": etcd's Go resolver → ClientConn", this.go));
            }
        }

        long slowestClient() {
            long ours = (this.ours.size() > 0) ? this.ours.max() : 0;
            return Math.max(ours, (this.go.size() > 0) ? this.go.max() : 0);
        }
    }
}
