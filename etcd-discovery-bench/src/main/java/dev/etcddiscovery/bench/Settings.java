package dev.etcddiscovery.bench;

/**
 * Sample counts of one run: {@link #full()} for the numbers in BENCHMARKS.md, {@link #smoke()} for a run of a few
 * seconds that only proves every benchmark still works.
 *
 * @param name what the run is called in the report
 * @param propagationWarmup changes before propagation is measured (JIT warm-up)
 * @param propagationChanges measured changes of one key to resolver and raw watch
 * @param firstRpcWarmup new servers before put to first RPC is measured
 * @param firstRpcSamples measured new servers
 * @param largeEndpoints endpoints of the one large service
 * @param largeResolveRounds initial resolves of the large service, each with fresh watches
 * @param largeChanges measured changes of one endpoint of the large service
 * @param targets distinct etcd:/// targets resolved at once
 * @param startupWarmup application starts of each kind before they are measured
 * @param startupRuns measured application starts with and without the starter
 * @param removalRounds server JVMs killed with SIGKILL, and as many stopped with SIGTERM
 * @param shortcuts smoke only: server JVMs with C1 only, and a 1 s channel shutdown grace period in the startup
 * benchmark; faster, but not what users run
 */
record Settings(String name, int propagationWarmup, int propagationChanges, int firstRpcWarmup, int firstRpcSamples,
        int largeEndpoints, int largeResolveRounds, int largeChanges, int targets, int startupWarmup,
        int startupRuns, int removalRounds, boolean shortcuts) {

    static Settings full() {
        return new Settings("full", 200, 1_000, 10, 300, 10_000, 5, 300, 1_000, 1, 5, 5, false);
    }

    static Settings smoke() {
        return new Settings("smoke", 5, 20, 1, 3, 200, 1, 5, 20, 0, 1, 1, true);
    }
}
