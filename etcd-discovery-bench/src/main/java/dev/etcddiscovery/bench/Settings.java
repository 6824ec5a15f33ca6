package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.List;

/**
 * Sample counts of one run: {@link #full()} for the numbers in BENCHMARKS.md, {@link #smoke()} for a run of a few
 * seconds that only proves every benchmark still works.
 *
 * @param name what the run is called in the report
 * @param warmup changes before the propagation and per-change latencies are measured (JIT warm-up)
 * @param propagationChanges measured changes of each propagation variant
 * @param firstRpcWarmup new servers before put to first RPC is measured
 * @param firstRpcSamples measured new servers
 * @param largeEndpoints endpoints of the one large service, one benchmark after the other for each count
 * @param largeResolveWarmup initial resolves of the large service before they are measured (the first one is
 * reported as cold)
 * @param largeResolveRounds measured initial resolves of the large service, each with fresh watches
 * @param largeChanges measured changes of one endpoint of the large service
 * @param targets distinct etcd:/// targets resolved at once
 * @param startupWarmup application starts of each kind before they are measured
 * @param startupRuns measured application starts with and without the starter
 * @param removalRounds server JVMs killed with SIGKILL, and as many stopped with SIGTERM
 * @param drain the drain benchmark's deletions and load
 * @param soak the soak benchmark's length and load
 * @param outageMinutes how long the outage benchmark keeps etcd down
 * @param goAnchor whether etcd's Go resolver is run for the side-by-side table (when Go is available)
 * @param shortcuts smoke only: server JVMs with C1 only, and a 1 s channel shutdown grace period in the startup
 * benchmark; faster, but not what users run
 * @param routingCalls calls per channel that measure how etcd_routing spreads them (routing benchmark)
 * @param routingFailovers times the routing benchmark's zone loses its servers and gets them back
 * @param fleet the fleet benchmark's clients, services and puts
 */
record Settings(String name, Warmup warmup, int propagationChanges, int firstRpcWarmup, int firstRpcSamples,
        List<Integer> largeEndpoints, int largeResolveWarmup, int largeResolveRounds, int largeChanges, int targets,
        int startupWarmup, int startupRuns, int removalRounds, Drain drain, SoakSettings soak, int outageMinutes,
        boolean goAnchor, boolean shortcuts, int routingCalls, int routingFailovers, Fleet fleet) {

    static Settings full() {
        return new Settings("full", new Warmup(5_000, 250, 200), 1_000, 10, 300, List.of(10_000, 100_000), 10,
                40, 1_000, 1_000, 1, 5, 5, new Drain(200, 2_000, 100, 100, 16), SoakSettings.full(), 5, true, false,
                10_000, 5, Fleet.full());
    }

    static Settings smoke() {
        return new Settings("smoke", new Warmup(4, 2, 2), 6, 1, 3, List.of(200), 1, 1, 5, 20, 0, 1, 1,
                new Drain(2, 4, 2, 5, 2),
                SoakSettings.smoke(), 1,
                false, true, 200, 1, Fleet.smoke());
    }

    Settings withSoak(SoakSettings soak) {
        return new Settings(this.name, this.warmup, this.propagationChanges, this.firstRpcWarmup,
                this.firstRpcSamples, this.largeEndpoints, this.largeResolveWarmup, this.largeResolveRounds,
                this.largeChanges, this.targets, this.startupWarmup, this.startupRuns, this.removalRounds,
                this.drain, soak, this.outageMinutes, this.goAnchor, this.shortcuts,
                this.routingCalls, this.routingFailovers, this.fleet);
    }

    Settings withOutageMinutes(int outageMinutes) {
        return new Settings(this.name, this.warmup, this.propagationChanges, this.firstRpcWarmup,
                this.firstRpcSamples, this.largeEndpoints, this.largeResolveWarmup, this.largeResolveRounds,
                this.largeChanges, this.targets, this.startupWarmup, this.startupRuns, this.removalRounds,
                this.drain, this.soak, outageMinutes, this.goAnchor, this.shortcuts,
                this.routingCalls, this.routingFailovers, this.fleet);
    }

    Settings withLargeEndpoints(List<Integer> largeEndpoints) {
        return new Settings(this.name, this.warmup, this.propagationChanges, this.firstRpcWarmup,
                this.firstRpcSamples, List.copyOf(largeEndpoints), this.largeResolveWarmup, this.largeResolveRounds,
                this.largeChanges, this.targets, this.startupWarmup, this.startupRuns, this.removalRounds,
                this.drain, this.soak, this.outageMinutes, this.goAnchor, this.shortcuts,
                this.routingCalls, this.routingFailovers, this.fleet);
    }

    Settings withGoAnchor(boolean goAnchor) {
        return new Settings(this.name, this.warmup, this.propagationChanges, this.firstRpcWarmup,
                this.firstRpcSamples, this.largeEndpoints, this.largeResolveWarmup, this.largeResolveRounds,
                this.largeChanges, this.targets, this.startupWarmup, this.startupRuns, this.removalRounds,
                this.drain, this.soak, this.outageMinutes, goAnchor, this.shortcuts,
                this.routingCalls, this.routingFailovers, this.fleet);
    }

    Settings withFleet(Fleet fleet) {
        return new Settings(this.name, this.warmup, this.propagationChanges, this.firstRpcWarmup,
                this.firstRpcSamples, this.largeEndpoints, this.largeResolveWarmup, this.largeResolveRounds,
                this.largeChanges, this.targets, this.startupWarmup, this.startupRuns, this.removalRounds,
                this.drain, this.soak, this.outageMinutes, this.goAnchor, this.shortcuts,
                this.routingCalls, this.routingFailovers, fleet);
    }

    /**
     * The warm-up of every per-change latency, the same for every variant (and for etcd's Go resolver).
     *
     * @param changes warm-up changes of each variant before any is measured
     * @param block changes of one variant in a row: variants take turns in blocks, in warm-up and measurement alike
     * @param cold the first changes of each variant, reported separately as the cold numbers
     */
    record Warmup(int changes, int block, int cold) {
    }

    /**
     * The drain benchmark: endpoints put and deleted one at a time, quiet and loaded blocks taking turns.
     *
     * @param warmup deletions before any is measured
     * @param rounds measured deletions, half of them under load
     * @param block deletions in a row of one kind (quiet or loaded)
     * @param watchers watchers of the load's prefix in this JVM
     * @param putsInFlight puts of the load in flight at once
     */
    record Drain(int warmup, int rounds, int block, int watchers, int putsInFlight) {
    }

    /**
     * The soak benchmark: servers, a client JVM and disturbances, sampled at the end of every period.
     *
     * @param minutes periods to run (each one "minute" of the report)
     * @param minute length of one period: a minute, shorter in tests
     * @param serversPerService server JVMs registered under each followed service
     * @param channelsPerService channels of the client JVM to each service, each calling every 200 ms
     * @param deadKeysPerService lease-less keys to closed ports put under each service
     */
    record SoakSettings(int minutes, Duration minute, int serversPerService, int channelsPerService,
            int deadKeysPerService) {

        static SoakSettings full() {
            return new SoakSettings(10, Duration.ofMinutes(1), 2, 8, 3);
        }

        static SoakSettings smoke() {
            return new SoakSettings(6, Duration.ofSeconds(5), 1, 2, 1);
        }

        SoakSettings withMinutes(int minutes) {
            return new SoakSettings(minutes, this.minute, this.serversPerService, this.channelsPerService,
                    this.deadKeysPerService);
        }
    }

    /**
     * The fleet benchmark: many clients, each with its own jetcd client, following the same services directly and
     * through etcd's gRPC proxy.
     *
     * @param clients fleet sizes, each run directly and through the proxy
     * @param services services every client follows
     * @param endpoints endpoints of each service
     * @param warmupPuts puts made and awaited like the measured ones, before them
     * @param puts measured puts, each moving one endpoint of one service (services take turns)
     * @param settle from the fleet's start to the quiet window: past every watch's first check, the only one that
     * asks etcd's status when etcd answers progress requests (the resolver's default check interval is 30 s)
     * @param steady the quiet window in which etcd's calls are counted
     */
    record Fleet(List<Integer> clients, int services, int endpoints, int warmupPuts, int puts, Duration settle,
            Duration steady) {

        Fleet {
            clients = List.copyOf(clients);
        }

        static Fleet full() {
            return new Fleet(List.of(100, 500), 3, 10, 20, 100, Duration.ofSeconds(35),
                    Duration.ofMinutes(1));
        }

        static Fleet smoke() {
            return new Fleet(List.of(3), 2, 3, 1, 4, Duration.ZERO, Duration.ofMillis(200));
        }

        Fleet withClients(List<Integer> clients) {
            return new Fleet(clients, this.services, this.endpoints, this.warmupPuts, this.puts, this.settle,
                    this.steady);
        }
    }
}
