package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.etcddiscovery.resolver.ServiceWatches;
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
        Samples list = new Samples();
        try (Client writer = Etcd.client(etcd); Client resolverClient = Etcd.client(etcd);
                ServiceWatches watches = Etcd.watches(resolverClient);
                FloorWatch floorWatch = new FloorWatch(etcd, SERVICE + "/")) {
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
                    Expectation<WatchEvent> watched = floorWatch.expect((event) -> FloorWatch.isPutOf(event, key)
                            && event.getKeyValue().getValue().toString(StandardCharsets.UTF_8).contains(addr));
                    long start = System.nanoTime();
                    Etcd.put(writer, key, port);
                    long resolvedAt = resolved.await(Etcd.TIMEOUT, "the resolver to list port " + port);
                    long watchedAt = watched.await(Etcd.TIMEOUT, "the raw watch to see port " + port);
                    if (i >= settings.propagationWarmup()) {
                        resolver.add(resolvedAt - start);
                        floor.add(watchedAt - start);
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
                + "and waits until both the resolver's listener and a raw jetcd prefix watch (its own client) have "
                + "it. Times from just before the put; " + settings.propagationWarmup() + " warm-up changes "
                + "not counted.");
        Samples overhead = resolver.minus(floor);
        report.table(Report.latencyHeaders("put → ..."))
            .row(Report.latencyRow("raw jetcd watch (floor)", floor))
            .row(Report.latencyRow("etcd:/// resolver → listener", resolver))
            .row(Report.latencyRow("overhead, per change (resolver − floor)", overhead))
            .end();
        report.note("Overhead at p99: " + Samples.ms(overhead.percentile(99)) + " ms per change; difference of the "
                + "p99s: " + Samples.ms(resolver.percentile(99) - floor.percentile(99)) + " ms (target ≤ 0.5 ms).");
        Polling.compare(report, "a change reaches gRPC", list, resolver);
    }

    private static String key(int instance) {
        return SERVICE + "/instance-" + instance;
    }
}
