package dev.etcddiscovery.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.etcddiscovery.test.EtcdCluster;

/**
 * Runs benchmarks against real etcd on loopback and prints the results as Markdown to stdout (library warnings go
 * to stderr): the ones named on the command line, or every one but the soak and the outage. {@code --smoke} runs
 * them with tiny counts, only to prove the code still works. Where etcd's Go resolver can run, it is measured in the same run and
 * compared.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        BenchArgs parsed;
        try {
            parsed = BenchArgs.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        run(parsed, new Report());
        // jetcd and grpc leave non-daemon threads behind after their clients are closed
        System.exit(0);
    }

    /** One run of the selected benchmarks into {@code report}. */
    static void run(BenchArgs args, Report report) {
        long start = System.nanoTime();
        Settings settings = args.settings();
        report.note("# etcd-discovery benchmarks (" + settings.name() + " run: "
                + args.benchmarks().stream().map(Benchmarks.Entry::name).collect(Collectors.joining(", ")) + ")");
        Machine.describe(report);
        Figures figures = new Figures();
        boolean propagation = selected(args, "propagation");
        boolean large = selected(args, "large");
        GoAnchor.Availability go = (settings.goAnchor() && (propagation || large)) ? GoAnchor.prepare()
                : GoAnchor.Availability.none("switched off (--no-go, or a smoke run without --go)");
        List<GoResults> goRuns = new ArrayList<>();
        go.anchor().ifPresent((anchor) -> goRuns.add(runGo(anchor, settings, propagation, large)));
        List<Benchmarks.Entry> shared = args.benchmarks().stream().filter(Benchmarks.Entry::sharedEtcd).toList();
        if (!shared.isEmpty()) {
            try (EtcdCluster etcd = EtcdCluster.start()) {
                shared.forEach((entry) -> run(entry, new Benchmarks.Run(etcd, settings, report, figures)));
            }
        }
        args.benchmarks()
            .stream()
            .filter((entry) -> !entry.sharedEtcd())
            .forEach((entry) -> run(entry, new Benchmarks.Run(null, settings, report, figures)));
        go.anchor().ifPresent((anchor) -> goRuns.add(runGo(anchor, settings, propagation, large)));
        if (propagation || large) {
            if (goRuns.isEmpty()) {
                GoComparison.skipped(report, go.description());
            }
            else {
                GoComparison.report(report, figures, goRuns, settings.largeEndpoints(), settings.largeResolveRounds());
                report.note("Go anchor: " + go.description() + ".");
            }
        }
        report.note("\nSuite wall time: " + (System.nanoTime() - start) / 1_000_000_000 + " s; load average at "
                + "the end (1/5/15 min): " + Machine.loadAverage() + ".");
    }

    private static void run(Benchmarks.Entry entry, Benchmarks.Run run) {
        long start = System.nanoTime();
        entry.runner().run(run);
        run.report().note("\n(" + (System.nanoTime() - start) / 1_000_000 + " ms)");
    }

    private static GoResults runGo(GoAnchor anchor, Settings settings, boolean propagation, boolean large) {
        GoResults results = GoResults.parse("");
        if (propagation) {
            results = results.and(anchor.propagation(settings.propagationChanges(), settings.warmup().changes()));
        }
        if (large) {
            for (int endpoints : settings.largeEndpoints()) {
                results = results.and(anchor.scale(endpoints, settings.largeChanges(), settings.largeResolveRounds()));
            }
        }
        return results;
    }

    private static boolean selected(BenchArgs args, String name) {
        return args.benchmarks().stream().anyMatch((entry) -> entry.name().equals(name));
    }
}
