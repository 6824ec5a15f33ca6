package dev.etcddiscovery.bench;

/**
 * One minute of the soak benchmark, read at its end.
 *
 * @param minute 1-based; 0 is the state before the first minute
 * @param disturbance what was done at its start
 * @param seconds how long it lasted: a minute, or longer when a replacement server took longer to register
 * @param etcd watch gauges at its end, and the calls etcd started during it
 * @param client the client JVM at its end
 * @param callsAnswered the client's calls answered during it
 * @param callsFailed the client's calls failed during it
 * @param watchBudget followed prefixes + registrations + the bench's own watch: the watch streams (and watchers)
 * that are enough for everything running at its end
 * @param keyChecks the Range calls the registrations make on their own in a minute: each checks its key with a
 * count-only get once per TTL
 */
record SoakMinute(int minute, SoakDisturbance disturbance, long seconds, EtcdLoad etcd, SoakClientProcess.Sample client,
        long callsAnswered, long callsFailed, int watchBudget, long keyChecks) {
}
