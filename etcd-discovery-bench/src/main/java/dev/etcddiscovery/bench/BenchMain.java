package dev.etcddiscovery.bench;

import java.util.Arrays;
import java.util.List;

import dev.etcddiscovery.test.EtcdCluster;

/**
 * Runs every benchmark against one real etcd on loopback and prints the results as Markdown to stdout (library
 * warnings go to stderr). {@code --smoke} runs each with tiny counts, only to prove the code still works.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        Settings settings = Arrays.asList(args).contains("--smoke") ? Settings.smoke() : Settings.full();
        run(settings, new Report());
        // jetcd and grpc leave non-daemon threads behind after their clients are closed
        System.exit(0);
    }

    /** One run of the whole suite into {@code report}. */
    static void run(Settings settings, Report report) {
        long start = System.nanoTime();
        report.note("# etcd-discovery benchmarks (" + settings.name() + " run)");
        Machine.describe(report);
        try (EtcdCluster etcd = EtcdCluster.start()) {
            for (Benchmark benchmark : List.<Benchmark>of(PropagationBench::run, FirstRpcBench::run,
                    LargeServiceBench::run, ManyTargetsBench::run, StartupBench::run, RemovalBench::run)) {
                long benchmarkStart = System.nanoTime();
                benchmark.run(etcd, settings, report);
                report.note("\n(" + (System.nanoTime() - benchmarkStart) / 1_000_000 + " ms)");
            }
        }
        report.note("\nSuite wall time: " + (System.nanoTime() - start) / 1_000_000_000 + " s; load average at "
                + "the end (1/5/15 min): " + Machine.loadAverage() + ".");
    }

    @FunctionalInterface
    private interface Benchmark {

        void run(EtcdCluster etcd, Settings settings, Report report);
    }
}
