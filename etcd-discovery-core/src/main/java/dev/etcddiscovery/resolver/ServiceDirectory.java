package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.etcddiscovery.RetryBackoff;
import io.etcd.jetcd.Client;
import io.grpc.internal.BackoffPolicy;
import io.grpc.internal.GrpcUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd watches of all channels: one {@link PrefixWatch} per service prefix, shared by every channel that targets
 * the service and closed when the last of them shuts down. Offers a {@link #snapshots() snapshot} of each watch for
 * health and metrics. Closing it stops every watch and its timer thread; the jetcd {@link Client} stays open.
 */
public class ServiceDirectory implements AutoCloseable {

    /** The default registration TTL: by then every live server of a wiped cluster has registered again. */
    public static final Duration DEFAULT_NEW_CLUSTER_GRACE_PERIOD = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(ServiceDirectory.class);

    private final Client client;

    private final EndpointParser parser;

    private final Duration requestTimeout;

    private final Duration watchCheckInterval;

    private final BackoffPolicy.Provider backoffProvider;

    private final Duration newClusterGracePeriod;

    private final ScheduledThreadPoolExecutor scheduler;

    private final Map<String, Shared> watches = new HashMap<>();

    private boolean closed;

    /**
     * Watches that keep the previous list of a wiped cluster for {@link #DEFAULT_NEW_CLUSTER_GRACE_PERIOD}.
     * @param client the jetcd client to list and watch with
     * @param parser turns values into endpoints
     * @param requestTimeout deadline of one list request
     * @param watchCheckInterval how often each watch must answer a progress request
     */
    public ServiceDirectory(Client client, EndpointParser parser, Duration requestTimeout, Duration watchCheckInterval) {
        this(client, parser, requestTimeout, watchCheckInterval, DEFAULT_NEW_CLUSTER_GRACE_PERIOD);
    }

    /**
     * @param client the jetcd client to list and watch with
     * @param parser turns values into endpoints
     * @param requestTimeout deadline of one list request
     * @param watchCheckInterval how often each watch must answer a progress request
     * @param newClusterGracePeriod how long a prefix that a new or restored etcd cluster lists empty keeps its
     * previous endpoints, unless a change comes first; zero to follow such a cluster at once
     */
    public ServiceDirectory(Client client, EndpointParser parser, Duration requestTimeout, Duration watchCheckInterval,
            Duration newClusterGracePeriod) {
        this(client, parser, requestTimeout, watchCheckInterval, newClusterGracePeriod, RetryBackoff.DEFAULT_MAX);
    }

    /**
     * @param client the jetcd client to list and watch with
     * @param parser turns values into endpoints
     * @param requestTimeout deadline of one list request
     * @param watchCheckInterval how often each watch must answer a progress request
     * @param newClusterGracePeriod how long a prefix that a new or restored etcd cluster lists empty keeps its
     * previous endpoints, unless a change comes first; zero to follow such a cluster at once
     * @param maxRetryBackoff longest wait between two list attempts while etcd is unreachable
     */
    public ServiceDirectory(Client client, EndpointParser parser, Duration requestTimeout, Duration watchCheckInterval,
            Duration newClusterGracePeriod, Duration maxRetryBackoff) {
        if (watchCheckInterval.isNegative() || watchCheckInterval.isZero()) {
            throw new IllegalArgumentException(
                    "etcd.discovery.resolver.watch-check-interval must be positive, was " + watchCheckInterval);
        }
        if (newClusterGracePeriod.isNegative()) {
            throw new IllegalArgumentException(
                    "etcd.discovery.resolver.new-cluster-grace-period must not be negative, was "
                            + newClusterGracePeriod);
        }
        this.client = client;
        this.parser = parser;
        this.requestTimeout = requestTimeout;
        this.watchCheckInterval = watchCheckInterval;
        this.newClusterGracePeriod = newClusterGracePeriod;
        this.backoffProvider = RetryBackoff.capped(maxRetryBackoff);
        this.scheduler = new ScheduledThreadPoolExecutor(1, GrpcUtil.getThreadFactory("etcd-resolver-timer", true));
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** The watch of {@code prefix}, started if no channel follows it yet. */
    synchronized PrefixWatch acquire(String prefix) {
        if (this.closed) {
            throw new IllegalStateException("etcd resolver is shut down; cannot follow '" + prefix + "'");
        }
        Shared shared = this.watches.computeIfAbsent(prefix, (key) -> {
            PrefixWatch watch = new PrefixWatch(key, this.client, this.parser, this.scheduler,
                    this.backoffProvider, this.requestTimeout, this.watchCheckInterval,
                    this.newClusterGracePeriod);
            watch.start();
            return new Shared(watch);
        });
        shared.users++;
        return shared.watch;
    }

    /** Gives back a watch obtained from {@link #acquire}; the last user closes it. */
    synchronized void release(PrefixWatch watch) {
        Shared shared = this.watches.get(watch.prefix());
        if (shared == null || shared.watch != watch) {
            return;
        }
        if (--shared.users == 0) {
            this.watches.remove(watch.prefix());
            watch.close();
        }
    }

    /** The state of every watched prefix. */
    public synchronized List<WatchSnapshot> snapshots() {
        return this.watches.values().stream().map((shared) -> shared.watch.snapshot()).toList();
    }

    @Override
    public void close() {
        List<PrefixWatch> open;
        synchronized (this) {
            this.closed = true;
            open = this.watches.values().stream().map((shared) -> shared.watch).toList();
            this.watches.clear();
        }
        // each watch is marked closed at once, so a list that completes meanwhile starts no watch and no timer on
        // the scheduler shut down below (it may be completing on this very thread, in a subscriber that closes us)
        open.forEach(PrefixWatch::close);
        this.scheduler.shutdownNow();
        logger.info("etcd resolver stopped ({} watches closed)", open.size());
    }

    private static final class Shared {

        private final PrefixWatch watch;

        private int users;

        Shared(PrefixWatch watch) {
            this.watch = watch;
        }
    }
}
