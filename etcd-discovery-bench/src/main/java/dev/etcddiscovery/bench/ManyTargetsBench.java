package dev.etcddiscovery.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMetrics;
import io.etcd.jetcd.Client;
import io.grpc.EquivalentAddressGroup;

/**
 * Benchmark 4: many distinct {@code etcd:///svc-i} targets in one JVM, resolved through one jetcd client as the
 * starter does (one {@code ServiceDirectory} on the client's multiplexed watch): the connections, watches, heap and
 * threads this costs.
 */
final class ManyTargetsBench {

    private static final String WATCHERS = EtcdMetrics.WATCHERS;

    private static final String WATCH_STREAMS = EtcdMetrics.WATCH_STREAMS;

    private ManyTargetsBench() {
    }

    private static long gauge(EtcdCluster etcd, String name) {
        return EtcdMetrics.read(etcd.endpoint()).value(name);
    }

    private static long awaitGauge(EtcdCluster etcd, String name, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long value = gauge(etcd, name);
        while (value < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            value = gauge(etcd, name);
        }
        return value;
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        int targets = settings.targets();
        int etcdPort = URI.create(etcd.endpoint()).getPort();
        try (Client writer = Etcd.client(etcd)) {
            Etcd.putAll(writer, targets, (i) -> "svc-" + i + "/127.0.0.1:" + (20_000 + i), (i) -> 20_000 + i);
        }
        long watchersBefore = gauge(etcd, WATCHERS);
        long streamsBefore = gauge(etcd, WATCH_STREAMS);
        int connectionsBefore = Jvm.connectionsTo(etcdPort);
        int threadsBefore = Jvm.liveThreads();
        long heapBefore = Jvm.retainedHeap();
        long start = System.nanoTime();
        long allResolved;
        long heap;
        int threads;
        int connections;
        long watchers;
        long streams;
        List<ResolverProbe> probes = new ArrayList<>();
        try (Client client = Etcd.client(etcd); StarterDirectory directory = new StarterDirectory(client)) {
            EtcdNameResolverProvider provider = directory.provider();
            AtomicInteger resolved = new AtomicInteger();
            Expectation<Integer> all = new Expectation<>((count) -> count == targets);
            for (int i = 0; i < targets; i++) {
                Expectation<List<EquivalentAddressGroup>> first = new Expectation<>((eags) -> {
                    long now = System.nanoTime();
                    all.offer(resolved.incrementAndGet(), now);
                    return true;
                });
                probes.add(ResolverProbe.start(provider, "svc-" + i, first));
            }
            allResolved = all.await(Duration.ofSeconds(60), "all " + targets + " targets to resolve") - start;
            heap = Jvm.retainedHeap() - heapBefore;
            threads = Jvm.liveThreads() - threadsBefore;
            connections = Jvm.connectionsTo(etcdPort) - connectionsBefore;
            // each watch is created after its list answered: wait until etcd counts them all (or 10 s)
            watchers = awaitGauge(etcd, WATCHERS, watchersBefore + targets) - watchersBefore;
            streams = gauge(etcd, WATCH_STREAMS) - streamsBefore;
            probes.forEach(ResolverProbe::close);
        }
        try (Client writer = Etcd.client(etcd)) {
            Etcd.deletePrefix(writer, "svc-");
        }
        report.section("4. " + String.format("%,d", targets) + " distinct etcd:/// targets in one JVM");
        report.note("One jetcd client and one `ServiceDirectory` whose watches share one etcd `Watch` stream "
                + "(`MultiplexedWatch`), as the starter wires them, then " + targets
                + " resolvers `etcd:///svc-0` … `etcd:///svc-" + (targets - 1) + "`, each with its own "
                + "synchronization context like a channel; each service has one endpoint. Deltas against the "
                + "moment before the client was built.");
        report.table("what", "value")
            .row("time until every target had its first list", Samples.ms(allResolved) + " ms")
            .row("TCP connections of this JVM to etcd (from /proc)", String.valueOf(connections))
            .row("watchers in etcd (" + WATCHERS + ")", String.valueOf(watchers))
            .row("watch streams in etcd (" + WATCH_STREAMS + ")", String.valueOf(streams))
            .row("retained heap (full GCs, after − before)", Jvm.mib(heap) + " MiB ("
                    + heap / targets + " bytes per target)")
            .row("live threads (after − before)", String.valueOf(threads))
            .end();
        report.note("Without sharing, a client (and so a connection) per channel would be " + targets
                + " connections; a 5 s re-list per target would be " + targets / 5 + " range requests per second "
                + "on etcd, forever.");
    }
}
