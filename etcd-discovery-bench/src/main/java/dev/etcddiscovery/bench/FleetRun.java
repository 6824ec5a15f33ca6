package dev.etcddiscovery.bench;

import dev.etcddiscovery.test.EtcdMetrics;

/**
 * What one fleet run measured: etcd (and the proxy) with the fleet settled, the calls etcd served in the quiet
 * window, this JVM's cost per client and the put latencies.
 *
 * @param proxied whether the clients reached etcd through its gRPC proxy
 * @param clients fleet size
 * @param startMillis from building the first client to every client holding every service's first list
 * @param settled etcd's watch streams and watchers at the end of the quiet window
 * @param etcdIdleRss etcd's resident memory with the services loaded, before any client
 * @param etcdRss etcd's resident memory at the end of the quiet window
 * @param proxyRss the proxy's resident memory at the end of the quiet window; 0 without a proxy
 * @param window the quiet window's length in nanoseconds
 * @param calls etcd's Range, Watch and Status calls started during the quiet window
 * @param threads this JVM's live threads added by the fleet
 * @param files this JVM's open file descriptors added by the fleet
 * @param heap this JVM's retained heap added by the fleet, in bytes
 * @param lastClient per put, until the last client's listener had the change
 * @param everyClient per put and client, until that client's listener had the change
 */
record FleetRun(boolean proxied, int clients, long startMillis, EtcdMetrics.Watches settled, long etcdIdleRss,
        long etcdRss, long proxyRss, long window, Calls calls, int threads, long files, long heap, Samples lastClient,
        Samples everyClient) {

    static final String RSS = "process_resident_memory_bytes";

    /** Calls per minute of the quiet window: the counted calls scaled from its length. */
    double perMinute(long count) {
        return count * 60e9 / this.window;
    }

    /**
     * Calls etcd started ({@code grpc_server_started_total}).
     *
     * @param range {@code etcdserverpb.KV/Range}: lists
     * @param watch {@code etcdserverpb.Watch/Watch}: new watch streams
     * @param status {@code etcdserverpb.Maintenance/Status}: the watch check's question through a proxy
     */
    record Calls(long range, long watch, long status) {

        static Calls of(EtcdMetrics metrics) {
            return new Calls(metrics.started("etcdserverpb.KV", "Range"),
                    metrics.started("etcdserverpb.Watch", "Watch"),
                    metrics.started("etcdserverpb.Maintenance", "Status"));
        }

        Calls since(Calls earlier) {
            return new Calls(this.range - earlier.range, this.watch - earlier.watch, this.status - earlier.status);
        }
    }
}
