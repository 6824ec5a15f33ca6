package dev.etcddiscovery.bench;

import java.util.List;

/** What the soak benchmark does at the start of a minute. */
enum SoakDisturbance {

    STEADY("none (steady)", true),

    DEAD_KEYS("lease-less keys to closed ports put with etcdctl under each service (they stay)", true),

    KILL("one server JVM SIGKILLed, a new one started", false),

    STORM("reconnect storm: a server registered lease-less under each service, up 1 s / down 1 s all minute", true),

    ETCD_RESTART("etcd stopped (SIGTERM) and started again with its data", false),

    STOP("one server JVM stopped (SIGTERM), a new one started", false);

    /** The first six minutes: one of each, in this order. */
    private static final List<SoakDisturbance> FIRST = List.of(STEADY, DEAD_KEYS, KILL, STORM, ETCD_RESTART, STOP);

    /** Then, in turns, everything but the etcd restart (once per run) and more dead keys (they stay anyway). */
    private static final List<SoakDisturbance> THEN = List.of(STORM, KILL, STOP, STEADY);

    private final String description;

    private final boolean quiet;

    SoakDisturbance(String description, boolean quiet) {
        this.description = description;
        this.quiet = quiet;
    }

    /** The disturbance of {@code minute} (1-based). */
    static SoakDisturbance at(int minute) {
        return (minute <= FIRST.size()) ? FIRST.get(minute - 1) : THEN.get((minute - FIRST.size() - 1) % THEN.size());
    }

    String description() {
        return this.description;
    }

    /**
     * Whether a resolver has no reason to list again in such a minute: nothing failed that a watch would see (no
     * server and no etcd went away), so the Range calls of such a minute are those of a steady state.
     */
    boolean quiet() {
        return this.quiet;
    }
}
