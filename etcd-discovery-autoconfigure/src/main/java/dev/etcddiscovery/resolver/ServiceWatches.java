package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.etcd.jetcd.Client;
import io.grpc.internal.GrpcUtil;
import io.grpc.internal.ExponentialBackoffPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd watches of all channels: one {@link ServiceWatch} per service prefix, shared by every channel that targets
 * the service and closed when the last of them shuts down. Offers a {@link #snapshots() snapshot} of each watch for
 * health and metrics. Closing it stops every watch and its timer thread; the jetcd {@link Client} stays open.
 */
public class ServiceWatches implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ServiceWatches.class);

    private final Client client;

    private final EndpointParser parser;

    private final Duration requestTimeout;

    private final Duration watchCheckInterval;

    private final ScheduledThreadPoolExecutor scheduler;

    private final Map<String, Shared> watches = new HashMap<>();

    private boolean closed;

    /**
     * @param client the jetcd client to list and watch with
     * @param parser turns values into endpoints
     * @param requestTimeout deadline of one list request
     * @param watchCheckInterval how often each watch must answer a progress request
     */
    public ServiceWatches(Client client, EndpointParser parser, Duration requestTimeout, Duration watchCheckInterval) {
        if (watchCheckInterval.isNegative() || watchCheckInterval.isZero()) {
            throw new IllegalArgumentException(
                    "etcd.discovery.resolver.watch-check-interval must be positive, was " + watchCheckInterval);
        }
        this.client = client;
        this.parser = parser;
        this.requestTimeout = requestTimeout;
        this.watchCheckInterval = watchCheckInterval;
        this.scheduler = new ScheduledThreadPoolExecutor(1, GrpcUtil.getThreadFactory("etcd-resolver-timer", true));
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** The watch of {@code prefix}, started if no channel follows it yet. */
    synchronized ServiceWatch acquire(String prefix) {
        if (this.closed) {
            throw new IllegalStateException("etcd resolver is shut down; cannot follow '" + prefix + "'");
        }
        Shared shared = this.watches.computeIfAbsent(prefix, (key) -> {
            ServiceWatch watch = new ServiceWatch(key, this.client, this.parser, this.scheduler,
                    new ExponentialBackoffPolicy.Provider(), this.requestTimeout, this.watchCheckInterval);
            watch.start();
            return new Shared(watch);
        });
        shared.users++;
        return shared.watch;
    }

    /** Gives back a watch obtained from {@link #acquire}; the last user closes it. */
    synchronized void release(ServiceWatch watch) {
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
        List<ServiceWatch> open;
        synchronized (this) {
            this.closed = true;
            open = this.watches.values().stream().map((shared) -> shared.watch).toList();
            this.watches.clear();
        }
        open.forEach(ServiceWatch::close);
        this.scheduler.shutdownNow();
        logger.info("etcd resolver stopped ({} watches closed)", open.size());
    }

    private static final class Shared {

        private final ServiceWatch watch;

        private int users;

        Shared(ServiceWatch watch) {
            this.watch = watch;
        }
    }
}
