package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;

/**
 * Benchmark 1: from a put to the moment the resolver hands gRPC the new list, against a raw jetcd watch on the same
 * etcd receiving the same event; and the staleness a polling re-list would have instead.
 */
final class PropagationBench {

    private static final String SERVICE = "propagation";

    private static final int INSTANCES = 10;

    private static final int FIRST_PORT = 20_000;

    private PropagationBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        Samples resolver = new Samples();
        Samples floor = new Samples();
        Samples sameClient = new Samples();
        Samples delivered = new Samples();
        Samples list = new Samples();
        try (Client writer = Etcd.client(etcd); TimedClient resolverClient = new TimedClient(Etcd.client(etcd));
                ServiceDirectory watches = Etcd.watches(resolverClient);
                FloorWatch floorWatch = new FloorWatch(etcd, SERVICE + "/");
                FloorWatch sameClientWatch = new FloorWatch(resolverClient, SERVICE + "/")) {
            Etcd.putAll(writer, INSTANCES, PropagationBench::key, (i) -> FIRST_PORT + i);
            Expectation<List<EquivalentAddressGroup>> listed = new Expectation<>((eags) -> eags.size() == INSTANCES);
            try (ResolverProbe probe = ResolverProbe.start(Etcd.provider(watches), SERVICE, listed)) {
                listed.await(Etcd.TIMEOUT, "the first list of " + SERVICE);
                int total = settings.propagationWarmup() + settings.propagationChanges();
                for (int i = 0; i < total; i++) {
                    int port = FIRST_PORT + INSTANCES + i;
                    String key = key(i % INSTANCES);
                    String addr = "\"127.0.0.1:" + port + "\"";
                    Expectation<List<EquivalentAddressGroup>> resolved = probe
                        .expect((eags) -> ResolverProbe.hasPort(eags, port));
                    Predicate<WatchEvent> isThisChange = (event) -> FloorWatch.isPutOf(event, key)
                            && event.getKeyValue().getValue().toString(StandardCharsets.UTF_8).contains(addr);
                    Expectation<WatchEvent> watched = floorWatch.expect(isThisChange);
                    Expectation<WatchEvent> watchedSameClient = sameClientWatch.expect(isThisChange);
                    Expectation<WatchEvent> deliveredToResolver = resolverClient.expectDelivery(isThisChange);
                    long start = System.nanoTime();
                    Etcd.put(writer, key, port);
                    long resolvedAt = resolved.await(Etcd.TIMEOUT, "the resolver to list port " + port);
                    long watchedAt = watched.await(Etcd.TIMEOUT, "the raw watch to see port " + port);
                    long watchedSameClientAt = watchedSameClient.await(Etcd.TIMEOUT,
                            "the raw watch on the resolver's client to see port " + port);
                    long deliveredAt = deliveredToResolver.await(Etcd.TIMEOUT,
                            "jetcd to deliver port " + port + " to the resolver");
                    if (i >= settings.propagationWarmup()) {
                        resolver.add(resolvedAt - start);
                        delivered.add(deliveredAt - start);
                        floor.add(watchedAt - start);
                        sameClient.add(watchedSameClientAt - start);
                    }
                }
            }
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                Etcd.join(writer.getKVClient().get(Etcd.bytes(SERVICE + "/"), GetOption.builder().isPrefix(true).build()));
                list.add(System.nanoTime() - start);
            }
        }
        report.section("1. Propagation: put → resolver hands gRPC the new list");
        report.note("One service of " + INSTANCES + " endpoints; each change puts one endpoint's key with a new port "
                + "and waits until the resolver's listener and two raw jetcd prefix watches have it: one on its own "
                + "client (what any other process would see) and one on the resolver's client (same connection "
                + "and event loop). Times from just before the put; " + settings.propagationWarmup()
                + " warm-up changes not counted. The last row times, for the same changes, the moment jetcd "
                + "calls the resolver's watch listener (a pass-through wrapper of the resolver's jetcd client) to "
                + "the moment the channel's listener has the list: the resolver's own cost, without the scheduling "
                + "noise between two separate watches.");
        Samples overhead = resolver.minus(floor);
        Samples overheadSameClient = resolver.minus(sameClient);
        report.table(Report.latencyHeaders("put → ..."))
            .row(Report.latencyRow("raw jetcd watch, own client (floor)", floor))
            .row(Report.latencyRow("raw jetcd watch on the resolver's client", sameClient))
            .row(Report.latencyRow("etcd:/// resolver → listener", resolver))
            .row(Report.latencyRow("overhead per change vs own-client watch", overhead))
            .row(Report.latencyRow("overhead per change vs same-client watch", overheadSameClient))
            .row(Report.latencyRow("resolver's own work: jetcd hands it the response → listener",
                    resolver.minus(delivered)))
            .end();
        report.note("Overhead (target ≤ 0.5 ms at p99): difference of the p99s "
                + Samples.ms(resolver.percentile(99) - floor.percentile(99)) + " ms; p99 of the per-change "
                + "differences " + Samples.ms(overhead.percentile(99)) + " ms against the own-client watch and "
                + Samples.ms(overheadSameClient.percentile(99)) + " ms against the same-client watch; the resolver's "
                + "own work p99 " + Samples.ms(resolver.minus(delivered).percentile(99)) + " ms.");
        Polling.compare(report, "a change reaches gRPC", list, resolver);
    }

    private static String key(int instance) {
        return SERVICE + "/instance-" + instance;
    }
}
