package dev.etcddiscovery.bench;

import java.util.List;
import java.util.Optional;

import dev.etcddiscovery.test.EtcdCluster;

/** Every benchmark by the name it has on the command line, in the order a full run makes them. */
final class Benchmarks {

    private static final List<Entry> ALL = List.of(
            new Entry("propagation", true, (run) -> PropagationBench.run(run.etcd(), run.settings(), run.report(),
                    run.figures())),
            new Entry("first-rpc", true, (run) -> FirstRpcBench.run(run.etcd(), run.settings(), run.report())),
            new Entry("large", true, (run) -> LargeServiceBench.run(run.etcd(), run.settings(), run.report(),
                    run.figures())),
            new Entry("targets", true, (run) -> ManyTargetsBench.run(run.etcd(), run.settings(), run.report())),
            new Entry("startup", true, (run) -> StartupBench.run(run.etcd(), run.settings(), run.report())),
            new Entry("removal", true, (run) -> RemovalBench.run(run.etcd(), run.settings(), run.report())),
            new Entry("drain", true, (run) -> DrainBench.run(run.etcd(), run.settings(), run.report())),
            new Entry("routing", true, (run) -> RoutingBench.run(run.etcd(), run.settings(), run.report())),
            // restarts etcd, so it has one of its own
            new Entry("soak", false, (run) -> SoakBench.run(run.settings(), run.report())),
            // stops etcd for minutes
            new Entry("outage", false, (run) -> OutageBench.run(run.settings(), run.report())),
            // hundreds of jetcd clients against an etcd (and a gRPC proxy) of each run's own
            new Entry("fleet", false, (run) -> FleetBench.run(run.settings(), run.report())));

    /** Benchmarks that take minutes each, run only when named. */
    private static final List<String> LONG = List.of("soak", "outage", "fleet");

    private Benchmarks() {
    }

    static List<String> names() {
        return ALL.stream().map(Entry::name).toList();
    }

    static Optional<Entry> named(String name) {
        return ALL.stream().filter((entry) -> entry.name().equals(name)).findFirst();
    }

    /**
     * What a run without names makes: the soak (ten minutes), the outage (five) and the fleet (seven) are run on their
     * own.
     */
    static List<Entry> allButLong() {
        return ALL.stream().filter((entry) -> !LONG.contains(entry.name())).toList();
    }

    /**
     * One benchmark.
     *
     * @param name its name on the command line
     * @param sharedEtcd whether it runs against the etcd the run starts for all benchmarks
     * @param runner what it does
     */
    record Entry(String name, boolean sharedEtcd, Runner runner) {
    }

    /** What a benchmark is given: {@code etcd} is null for benchmarks without {@code sharedEtcd}. */
    record Run(EtcdCluster etcd, Settings settings, Report report, Figures figures) {
    }

    @FunctionalInterface
    interface Runner {

        void run(Run run);
    }
}
