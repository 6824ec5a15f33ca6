package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.etcddiscovery.internal.LinkProbe;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.grpc.internal.BackoffPolicy;

/**
 * What every {@link PrefixWatch} of a {@link ServiceDirectory} shares: where it lists and watches, how it reads
 * values and looks up host names, its timers and its limits.
 *
 * @param kv lists prefixes (and checks a revision that looks like it went back)
 * @param watchSource watches prefixes
 * @param parser turns values into endpoints
 * @param allowedNetworks where endpoints may point
 * @param hostResolver looks up host names
 * @param lookupPool runs host lookups
 * @param scheduler runs timers
 * @param backoff delays of retries: lists, watches and host lookups
 * @param requestTimeout deadline of one list request and of one host lookup
 * @param checkInterval how often a watch must answer a progress request
 * @param linkProbe proves etcd answers through the watches' connection, for watches that answer no progress request
 * @param newClusterGracePeriod how long an empty prefix of a new cluster keeps the previous list
 */
record PrefixWatchSettings(KV kv, Watch watchSource, EndpointParser parser, AllowedNetworks allowedNetworks,
        HostResolver hostResolver,
        Executor lookupPool, ScheduledExecutorService scheduler, BackoffPolicy.Provider backoff, Duration requestTimeout,
        Duration checkInterval, LinkProbe linkProbe, Duration newClusterGracePeriod) {
}
