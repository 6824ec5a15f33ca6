package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.etcddiscovery.internal.EtcdFailures;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Follows the endpoints under one key prefix for every channel that targets the service: lists the prefix, watches
 * it from the list's revision + 1 (so no change in between is lost), keeps the endpoints in an
 * {@link EndpointTable} and has an {@link EndpointPublisher} hand the subscribers a full list when it changed.
 * <p>
 * A healthy watch costs etcd nothing but its stream and one progress request per check interval
 * ({@link ProgressCheckedWatch}; through etcd's gRPC proxy, which does not answer those, one status request per
 * check interval for all watches of the directory); gRPC's refreshes change nothing. It is replaced by a new list and watch only after a
 * real failure: it failed, was cancelled or compacted, did not answer a progress request, or saw its cluster replaced
 * (another cluster id, or a revision that went back, confirmed by a linearizable read since a lagging member answers
 * with an older one). The first replacement after a watch that answered is immediate; then lists wait with capped
 * backoff until a watch answers again. Meanwhile subscribers keep the last list; they get an error only if nothing
 * was ever listed.
 * <p>
 * All state is confined to this watch's {@link SynchronizationContext}; jetcd callbacks and timers enter through it.
 */
final class PrefixWatch implements ProgressCheckedWatch.Listener {

    /** Receives the endpoints of a watch; called from the watch's synchronization context. */
    interface Subscriber {

        void onEndpoints(List<EquivalentAddressGroup> endpoints);

        void onError(Status error);
    }

    private static final Logger logger = LoggerFactory.getLogger(PrefixWatch.class);

    private final String prefix;

    private final ByteSequence prefixBytes;

    private final PrefixWatchSettings settings;

    private final PrefixReads reads;

    private final SynchronizationContext syncContext;

    private final HostLookups lookups;

    private final EndpointTable table;

    private final EndpointPublisher publisher;

    private final ClusterIdentity cluster = new ClusterIdentity();

    private final RelistDelays retries;

    /** Incremented whenever the current list or watch is abandoned, so late answers to old ones are ignored. */
    private long generation;

    private boolean listing;

    private boolean listFailing;

    private ProgressCheckedWatch watch;

    /** Set at once by {@link #close()}, so that work already queued stops before it starts a watch or a timer. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile boolean healthy;

    private final AtomicLong watchRestarts = new AtomicLong();

    private final AtomicLong compactionRelists = new AtomicLong();

    PrefixWatch(String prefix, PrefixWatchSettings settings) {
        this.prefix = prefix;
        this.prefixBytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        this.settings = settings;
        this.reads = new PrefixReads(settings.kv(), this.prefixBytes, settings.requestTimeout());
        this.syncContext = new SynchronizationContext(
                (thread, ex) -> logger.error("Unexpected error while following etcd prefix '{}'", prefix, ex));
        this.lookups = new HostLookups(settings.hostResolver(), settings.lookupPool(), settings.requestTimeout(),
                settings.backoff(), this.syncContext, this::schedule, this::onHostResolved);
        this.table = new EndpointTable(settings.parser(), this.lookups, settings.allowedNetworks());
        this.publisher = new EndpointPublisher(prefix, this.table, settings.newClusterGracePeriod(), this::schedule);
        this.retries = new RelistDelays(settings.backoff(), this::schedule);
    }

    String prefix() {
        return this.prefix;
    }

    void start() {
        this.syncContext.execute(() -> {
            logger.info("Following etcd prefix '{}'", this.prefix);
            relist();
        });
    }

    void subscribe(Subscriber subscriber) {
        this.syncContext.execute(() -> {
            if (this.closed.get()) {
                subscriber.onError(Status.UNAVAILABLE.withDescription("etcd resolver is shut down"));
                return;
            }
            this.publisher.subscribe(subscriber);
        });
    }

    void unsubscribe(Subscriber subscriber) {
        this.syncContext.execute(() -> this.publisher.unsubscribe(subscriber));
    }

    void close() {
        if (!this.closed.compareAndSet(false, true)) {
            return;
        }
        this.syncContext.execute(() -> {
            this.healthy = false;
            stopWatch();
            this.retries.cancel();
            this.lookups.cancelAll();
            this.publisher.close();
            logger.info("Stopped following etcd prefix '{}'", this.prefix);
        });
    }

    WatchSnapshot snapshot() {
        return new WatchSnapshot(this.prefix, this.publisher.endpointCount(), this.publisher.lastUpdate(),
                this.healthy, this.watchRestarts.get(), this.compactionRelists.get(), this.table.malformedSkipped(),
                this.table.outsideAllowedNetworks(), this.table.rejectedOutsideAllowedNetworks());
    }

    private void relist() {
        if (this.closed.get() || this.listing) {
            return;
        }
        this.retries.cancel();
        stopWatch();
        this.listing = true;
        long thisGeneration = this.generation;
        this.reads.list()
            .whenComplete((listed, error) -> this.syncContext.execute(() -> onListed(thisGeneration, listed, error)));
    }

    private void onListed(long thisGeneration, PrefixReads.Listing listed, Throwable error) {
        if (this.closed.get() || thisGeneration != this.generation) {
            return;
        }
        this.listing = false;
        if (error != null) {
            onListFailed(EtcdFailures.unwrap(error));
            return;
        }
        this.listFailing = false;
        boolean newCluster = this.cluster.listed(listed.header());
        boolean changed = this.table.replaceAll(listed.kvs());
        this.publisher.listed(newCluster, changed);
        // a subscriber may have closed the directory while it was handed the list
        if (!this.closed.get()) {
            startWatch(listed.kvs().size());
        }
    }

    private void onListFailed(Throwable error) {
        this.healthy = false;
        String reason = describe(error);
        long delayNanos = this.retries.afterFailure();
        String message = "Could not list etcd prefix '{}' ({}); keeping the endpoints known, retrying in {} ms";
        logger.atLevel(this.listFailing ? Level.DEBUG : Level.WARN)
            .log(message, this.prefix, reason, TimeUnit.NANOSECONDS.toMillis(delayNanos));
        this.listFailing = true;
        this.publisher.listFailed(Status.UNAVAILABLE
            .withDescription("Could not list '" + this.prefix + "' from etcd: " + reason)
            .withCause(error));
        this.retries.schedule(this::relist, delayNanos);
    }

    private void startWatch(int listedKeys) {
        long from = this.cluster.revision() + 1;
        try {
            this.watch = ProgressCheckedWatch.start(this.settings.watchSource(), this.prefixBytes, from,
                    this.settings.checkInterval(), this.settings.linkProbe(), this.syncContext, this::schedule, this);
        }
        catch (RuntimeException ex) {
            onListFailed(ex);
            return;
        }
        this.healthy = true;
        logger.info("Watching etcd prefix '{}' from revision {} ({} keys listed)", this.prefix, from, listedKeys);
    }

    @Override
    public void onResponse(WatchResponse response) {
        if (this.closed.get()) {
            return;
        }
        this.healthy = true;
        Response.Header header = response.getHeader();
        if (this.cluster.replacedBy(header)) {
            restart("etcd's cluster id changed (a new or restored cluster)");
            return;
        }
        List<WatchEvent> events = response.getEvents();
        if (events.isEmpty()) {
            if (this.cluster.isBehind(header)) {
                long thisGeneration = this.generation;
                this.cluster.check(header, this.reads::revision, this.syncContext, (reason) -> {
                    if (!this.closed.get() && thisGeneration == this.generation) {
                        restart(reason);
                    }
                });
            }
            else if (!response.isCreatedNotify()) {
                // a progress answer: the watch lived through a check interval
                this.retries.watchAnswered();
            }
            return;
        }
        this.retries.watchAnswered();
        boolean changed = this.table.apply(events);
        this.cluster.advancedTo(events.get(events.size() - 1).getKeyValue().getModRevision());
        if (changed) {
            this.publisher.tableChanged();
        }
    }

    @Override
    public void onLinkAnswered() {
        // behind a proxy that answers no progress request, this is how a watch shows it lived through a check
        this.retries.watchAnswered();
    }

    @Override
    public void onLost(String reason, boolean compacted) {
        if (this.closed.get()) {
            return;
        }
        if (compacted) {
            this.compactionRelists.incrementAndGet();
        }
        restart(reason);
    }

    private void onHostResolved(String key, String host, List<InetAddress> addresses) {
        if (!this.closed.get() && this.table.resolved(key, host, addresses)) {
            this.publisher.tableChanged();
        }
    }

    private void restart(String reason) {
        this.healthy = false;
        this.watchRestarts.incrementAndGet();
        stopWatch();
        long delayNanos = this.retries.afterLostWatch();
        logger.info("Watch on etcd prefix '{}' lost because {}; re-listing{}", this.prefix, reason,
                (delayNanos == 0) ? "" : " in " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms");
        this.retries.runAfter(this::relist, delayNanos);
    }

    /**
     * Schedules {@code task} on the synchronization context; returns null if the directory closed the scheduler
     * meanwhile (this watch is closing then, and its close task will follow).
     */
    private ScheduledHandle schedule(Runnable task, long delayNanos) {
        try {
            return this.syncContext.schedule(task, delayNanos, TimeUnit.NANOSECONDS, this.settings.scheduler());
        }
        catch (RejectedExecutionException ex) {
            if (this.closed.get()) {
                return null;
            }
            throw ex;
        }
    }

    private void stopWatch() {
        this.generation++;
        if (this.watch != null) {
            this.watch.stop();
            this.watch = null;
        }
    }

    private String describe(Throwable error) {
        return EtcdFailures.describe(error, this.settings.requestTimeout());
    }
}
