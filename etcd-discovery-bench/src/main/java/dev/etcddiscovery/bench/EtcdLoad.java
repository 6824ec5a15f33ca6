package dev.etcddiscovery.bench;

import dev.etcddiscovery.test.EtcdMetrics;

/**
 * What clients cost etcd at one moment, from its {@code /metrics}: live watch streams and watchers (gauges), and
 * the Range, Watch and LeaseGrant calls it has started since it started (counters, which restart at 0 with etcd).
 */
record EtcdLoad(long watchStreams, long watchers, long rangeCalls, long watchCalls, long leaseGrants) {

    static final EtcdLoad NONE = new EtcdLoad(0, 0, 0, 0, 0);

    static EtcdLoad read(String endpoint) {
        EtcdMetrics metrics = EtcdMetrics.read(endpoint);
        return new EtcdLoad(metrics.value(EtcdMetrics.WATCH_STREAMS), metrics.value(EtcdMetrics.WATCHERS),
                metrics.started("etcdserverpb.KV", "Range"), metrics.started("etcdserverpb.Watch", "Watch"),
                metrics.started("etcdserverpb.Lease", "LeaseGrant"));
    }

    /**
     * The gauges of this reading with the calls made since {@code earlier}; a counter lower than before means etcd
     * restarted in between, and then counts from 0.
     */
    EtcdLoad since(EtcdLoad earlier) {
        return new EtcdLoad(this.watchStreams, this.watchers, delta(earlier.rangeCalls, this.rangeCalls),
                delta(earlier.watchCalls, this.watchCalls), delta(earlier.leaseGrants, this.leaseGrants));
    }

    /** The calls of two periods added up (before and after an etcd restart), with the gauges of {@code later}. */
    EtcdLoad plus(EtcdLoad later) {
        return new EtcdLoad(later.watchStreams, later.watchers, this.rangeCalls + later.rangeCalls,
                this.watchCalls + later.watchCalls, this.leaseGrants + later.leaseGrants);
    }

    private static long delta(long earlier, long later) {
        return (later >= earlier) ? later - earlier : later;
    }
}
