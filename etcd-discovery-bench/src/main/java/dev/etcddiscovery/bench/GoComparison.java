package dev.etcddiscovery.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The "vs etcd's Go resolver" table: the same measurements of etcd's own Go resolver (its anchor program, run in
 * the same run on the same machine, before and after the Java benchmarks) next to ours, as ratios Java / Go.
 */
final class GoComparison {

    private GoComparison() {
    }

    /**
     * {@code runs}: one result per anchor run, in the order they were made; {@code builds}: the resolvers each run
     * built for the first full update.
     */
    static void report(Report report, Figures figures, List<GoResults> runs, List<Integer> largeEndpoints,
            int builds) {
        report.section("vs etcd's Go resolver");
        report.note("etcd's own Go resolver (`go.etcd.io/etcd/clientv3/naming/resolver` + `endpoints.Manager` as "
                + "Debian ships them, grpc-go 1.33) measured by its anchor program on its own fresh etcd, "
                + runs.size() + " run(s) (before and after the Java benchmarks), each phase after the same number of "
                + "warm-up changes as the Java side; Java = this run's warm numbers. Ratio = Java / Go (below 1: "
                + "Java faster), one per Go run. Go's rows are its `prop` (raw watch, resolver, both on the same "
                + "puts; every put a new endpoint, so its lists grow with the warm-up: Java's rows are benchmark 1's "
                + "*growing* variants, measured the same way) and `scale` (" + builds + " builds, each with a new client; changes "
                + "alternate a new key and a deletion) steps.");
        Report.Table table = report.table("put → ...", "Go p50 / p99 ms (per run)", "Java warm p50 / p99 ms",
                "Java / Go p50", "Java / Go p99", "Java cold p50 / p99 ms");
        row(table, "raw watch sees it (clientv3 vs jetcd, own client)", runs, "prop.rawWatch", figures,
                Figures.RAW_WATCH, Figures.RAW_WATCH_COLD);
        row(table, "resolver hands the channel the new list (a new endpoint per change)", runs, "prop.resolver",
                figures, Figures.GROWING_RESOLVER, Figures.GROWING_RESOLVER_COLD);
        row(table, "resolver's cost over a raw watch on another client (same puts, a new endpoint per change)", runs,
                "prop.paired.resolver-minus-raw", figures, Figures.GROWING_OVER_WATCH, null);
        for (int endpoints : largeEndpoints) {
            row(table, String.format(Locale.ROOT, "%,d endpoints: first full update", endpoints), runs,
                    "scale" + endpoints + ".firstUpdate(Build->all)", figures,
                    Figures.large(Figures.LARGE_FIRST_UPDATE, endpoints),
                    Figures.large(Figures.LARGE_FIRST_UPDATE_COLD, endpoints));
            row(table, String.format(Locale.ROOT, "%,d endpoints: one change", endpoints), runs,
                    "scale" + endpoints + ".change.all", figures, Figures.large(Figures.LARGE_CHANGE, endpoints),
                    null);
        }
        table.end();
        largeEndpoints.forEach((endpoints) -> memory(report, figures, runs, endpoints));
    }

    private static void memory(Report report, Figures figures, List<GoResults> runs, int endpoints) {
        String goHeap = runs.stream()
            .map((run) -> run.goHeapMib(endpoints))
            .flatMap(Optional::stream)
            .map((mib) -> String.format(Locale.ROOT, "%.1f", mib))
            .collect(Collectors.joining(" / "));
        Optional<Long> retained = figures.value(Figures.large(Figures.LARGE_RETAINED_BYTES, endpoints));
        if (!goHeap.isEmpty() && retained.isPresent()) {
            report.note("Memory for " + String.format(Locale.ROOT, "%,d", endpoints) + " endpoints: Go heap in "
                    + "use after the first update " + goHeap + " MiB (whole Go process: client, resolver, gRPC); "
                    + "Java: " + Jvm.mib(retained.get()) + " MiB retained by the resolver (heap after full GCs, "
                    + "one more resolver minus without it, the median of three).");
        }
    }

    /** Says why there is no table. */
    static void skipped(Report report, String reason) {
        report.section("vs etcd's Go resolver");
        report.note("Not run: " + reason + ". The table needs etcd's Go resolver anchor and Go (see BENCHMARKS.md).");
    }

    private static void row(Report.Table table, String name, List<GoResults> runs, String goSeries,
            Figures figures, String javaSeries, String javaColdSeries) {
        List<GoResults.Latency> go = runs.stream().map((run) -> run.latency(goSeries)).flatMap(Optional::stream)
            .toList();
        Optional<Samples> java = figures.series(javaSeries);
        if (go.isEmpty() || java.isEmpty()) {
            return;
        }
        String cold = Optional.ofNullable(javaColdSeries)
            .flatMap(figures::series)
            .map(GoComparison::p50p99)
            .orElse("—");
        table.row(name, go.stream().map((latency) -> Samples.ms(latency.p50()) + " / " + Samples.ms(latency.p99()))
            .collect(Collectors.joining(" · ")), p50p99(java.get()),
                ratios(java.get().percentile(50), go, GoResults.Latency::p50),
                ratios(java.get().percentile(99), go, GoResults.Latency::p99), cold);
    }

    private static String p50p99(Samples samples) {
        return Samples.ms(samples.percentile(50)) + " / " + Samples.ms(samples.percentile(99));
    }

    private static String ratios(long java, List<GoResults.Latency> go, ToLongFunction<GoResults.Latency> field) {
        return go.stream()
            .map((latency) -> String.format(Locale.ROOT, "%.2f×",
                    (double) java / Math.max(1, field.applyAsLong(latency))))
            .collect(Collectors.joining(" · "));
    }
}
