package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.etcddiscovery.EtcdFailures;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.internal.BackoffPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the endpoints under one key prefix for every channel that targets the service: lists the prefix,
 * watches it from the list's revision + 1 (so no change in between is lost), keeps a key to endpoint map and hands
 * its subscribers a full list when a watch response changed it. When changes keep coming faster than subscribers
 * take in lists (a burst of registrations, a large service behind a busy load balancer), they are coalesced into
 * one list per list handed out; a change that comes alone is handed out at once ({@link BurstCoalescer}).
 * <p>
 * It never stops following: a watch that fails, is cancelled, falls behind a compaction, sees etcd's revision go
 * back or its cluster id change (a wiped or replaced cluster) or leaves a progress request unanswered for a whole
 * check interval is replaced by a new list and watch, retried with exponential backoff while etcd is unreachable.
 * Meanwhile subscribers keep the last list; they get an error only if nothing was ever listed. A replaced cluster
 * that is still empty keeps the last list until its first change under the prefix or for a grace period, so that a
 * wiped registry does not take healthy servers away before they have registered again
 * ({@link NewClusterGracePeriod}).
 * <p>
 * All state is confined to this watch's {@link SynchronizationContext}; jetcd callbacks and timers enter through it.
 */
final class PrefixWatch {

    /** Receives the endpoints of a watch; called from the watch's synchronization context. */
    interface Subscriber {

        void onEndpoints(List<EquivalentAddressGroup> endpoints);

        void onError(Status error);
    }

    private static final Logger logger = LoggerFactory.getLogger(PrefixWatch.class);

    private final String prefix;

    private final ByteSequence prefixBytes;

    private final Client client;

    private final EndpointParser parser;

    private final ScheduledExecutorService scheduler;

    private final BackoffPolicy.Provider backoffProvider;

    private final Duration requestTimeout;

    private final Duration checkInterval;

    private final SynchronizationContext syncContext;

    private final NewClusterGracePeriod gracePeriod;

    private final BurstCoalescer coalescer = new BurstCoalescer();

    private final NavigableMap<String, Endpoint> endpoints = new TreeMap<>();

    private final Map<String, ByteSequence> rejected = new HashMap<>();

    private final Set<Subscriber> subscribers = new LinkedHashSet<>();

    /** Incremented whenever the current list or watch is abandoned, so late callbacks of old ones are ignored. */
    private long generation;

    private long revision;

    /** etcd's cluster id of the last list or watch response; 0 before the first. */
    private long clusterId;

    /** Whether the watch was given up because etcd's cluster was replaced, so the next list may find it empty. */
    private boolean clusterReplaced;

    private List<EquivalentAddressGroup> current;

    private Status initialError;

    private boolean listing;

    private Watch.Watcher watcher;

    private boolean answeredSinceLastCheck;

    private ScheduledHandle checkTimer;

    private ScheduledHandle retryTimer;

    private BackoffPolicy backoff;

    /** Hands out the coalesced changes of a burst. */
    private ScheduledHandle publishTimer;

    /** Set at once by {@link #close()}, so that work already queued stops before it starts a watch or a timer. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile boolean healthy;

    private volatile Instant lastUpdate;

    private volatile int endpointCount;

    private final AtomicLong watchRestarts = new AtomicLong();

    private final AtomicLong compactionRelists = new AtomicLong();

    private final AtomicLong malformedSkipped = new AtomicLong();

    PrefixWatch(String prefix, Client client, EndpointParser parser, ScheduledExecutorService scheduler,
            BackoffPolicy.Provider backoffProvider, Duration requestTimeout, Duration checkInterval,
            Duration newClusterGracePeriod) {
        this.prefix = prefix;
        this.prefixBytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        this.client = client;
        this.parser = parser;
        this.scheduler = scheduler;
        this.backoffProvider = backoffProvider;
        this.requestTimeout = requestTimeout;
        this.checkInterval = checkInterval;
        this.gracePeriod = new NewClusterGracePeriod(newClusterGracePeriod);
        this.syncContext = new SynchronizationContext(
                (thread, ex) -> logger.error("Unexpected error while following etcd prefix '{}'", prefix, ex));
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
            this.subscribers.add(subscriber);
            if (this.current != null) {
                subscriber.onEndpoints(this.current);
            }
            else if (this.initialError != null) {
                subscriber.onError(this.initialError);
            }
        });
    }

    void unsubscribe(Subscriber subscriber) {
        this.syncContext.execute(() -> this.subscribers.remove(subscriber));
    }

    /** Lists the prefix again and restarts the watch, unless a list is under way or already scheduled. */
    void refresh() {
        this.syncContext.execute(() -> {
            if (!this.listing && this.retryTimer == null) {
                relist();
            }
        });
    }

    void close() {
        if (!this.closed.compareAndSet(false, true)) {
            return;
        }
        this.syncContext.execute(() -> {
            this.healthy = false;
            stopWatch();
            cancelRetry();
            cancelPublishTimers();
            this.subscribers.clear();
            logger.info("Stopped following etcd prefix '{}'", this.prefix);
        });
    }

    WatchSnapshot snapshot() {
        return new WatchSnapshot(this.prefix, this.endpointCount, this.lastUpdate, this.healthy,
                this.watchRestarts.get(), this.compactionRelists.get(), this.malformedSkipped.get());
    }

    private void relist() {
        if (this.closed.get() || this.listing) {
            return;
        }
        cancelRetry();
        stopWatch();
        this.listing = true;
        long thisGeneration = this.generation;
        CompletableFuture<GetResponse> list;
        try {
            list = this.client.getKVClient().get(this.prefixBytes, GetOption.builder().isPrefix(true).build());
        }
        catch (RuntimeException ex) {
            list = CompletableFuture.failedFuture(ex);
        }
        // jetcd waits for etcd forever (waitForReady): bound each attempt so the backoff can take over
        list.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((response, error) -> this.syncContext.execute(() -> onListed(thisGeneration, response, error)));
    }

    private void onListed(long thisGeneration, GetResponse response, Throwable error) {
        if (this.closed.get() || thisGeneration != this.generation) {
            return;
        }
        this.listing = false;
        if (error != null) {
            onListFailed(EtcdFailures.unwrap(error));
            return;
        }
        this.backoff = null;
        long listedRevision = response.getHeader().getRevision();
        boolean newCluster = this.clusterReplaced || listedRevision < this.revision
                || isFromAnotherCluster(response.getHeader());
        this.clusterReplaced = false;
        this.clusterId = response.getHeader().getClusterId();
        boolean changed = replaceAll(response.getKvs());
        this.revision = listedRevision;
        logger.info("Listed etcd prefix '{}' at revision {}: {} endpoints", this.prefix, this.revision,
                this.endpoints.size());
        if (this.gracePeriod.keepsPrevious(this.endpoints.isEmpty(), newCluster, hasHandedOutEndpoints())) {
            if (!this.gracePeriod.isRunning()) {
                startGracePeriod();
            }
        }
        else if (changed || this.current == null || this.gracePeriod.isRunning()) {
            publish();
        }
        // a subscriber may have closed the watches while it was handed the list
        if (!this.closed.get()) {
            startWatch();
        }
    }

    private boolean isFromAnotherCluster(Response.Header header) {
        return this.clusterId != 0 && header.getClusterId() != 0 && header.getClusterId() != this.clusterId;
    }

    private boolean hasHandedOutEndpoints() {
        return this.current != null && !this.current.isEmpty();
    }

    private void startGracePeriod() {
        Duration length = this.gracePeriod.length();
        logger.info("etcd prefix '{}' is empty in a new or restored etcd cluster; keeping its {} previous endpoints "
                + "until the first change or for {}", this.prefix, this.current.size(), length);
        this.gracePeriod.started(schedule(() -> {
            this.gracePeriod.expired();
            logger.info("etcd prefix '{}' stayed empty for {} in the new cluster; following it", this.prefix, length);
            publishNow();
        }, length.toNanos()));
    }

    private void onListFailed(Throwable error) {
        this.healthy = false;
        boolean firstFailure = this.backoff == null;
        if (firstFailure) {
            this.backoff = this.backoffProvider.get();
        }
        long delayNanos = this.backoff.nextBackoffNanos();
        String message = "Could not list etcd prefix '{}' ({}); keeping {} known endpoints, retrying in {} ms";
        Object[] args = { this.prefix, describe(error), this.endpoints.size(), TimeUnit.NANOSECONDS.toMillis(delayNanos) };
        if (firstFailure) {
            logger.warn(message, args);
        }
        else {
            logger.info(message, args);
        }
        if (this.current == null) {
            this.initialError = Status.UNAVAILABLE
                .withDescription("Could not list '" + this.prefix + "' from etcd: " + describe(error))
                .withCause(error);
            List.copyOf(this.subscribers).forEach((subscriber) -> subscriber.onError(this.initialError));
        }
        this.retryTimer = schedule(() -> {
            this.retryTimer = null;
            relist();
        }, delayNanos);
    }

    private void startWatch() {
        long thisGeneration = this.generation;
        WatchOption option = WatchOption.builder()
            .isPrefix(true)
            .withRevision(this.revision + 1)
            .withRequireLeader(true)
            .build();
        Watch.Listener listener = Watch.listener(
                (response) -> this.syncContext.execute(() -> onWatchResponse(thisGeneration, response)),
                (error) -> this.syncContext.execute(() -> onWatchEnded(thisGeneration, error)),
                () -> this.syncContext.execute(() -> onWatchEnded(thisGeneration, null)));
        try {
            this.watcher = this.client.getWatchClient().watch(this.prefixBytes, option, listener);
        }
        catch (RuntimeException ex) {
            onListFailed(ex);
            return;
        }
        this.healthy = true;
        this.answeredSinceLastCheck = true;
        scheduleCheck();
        logger.info("Watching etcd prefix '{}' from revision {}", this.prefix, this.revision + 1);
    }

    private void onWatchResponse(long thisGeneration, WatchResponse response) {
        if (this.closed.get() || thisGeneration != this.generation) {
            return;
        }
        this.answeredSinceLastCheck = true;
        this.healthy = true;
        if (isFromAnotherCluster(response.getHeader())) {
            this.clusterReplaced = true;
            restart("etcd's cluster id changed (a new or restored cluster)");
            return;
        }
        List<WatchEvent> events = response.getEvents();
        if (events.isEmpty()) {
            long etcdRevision = response.getHeader().getRevision();
            if (etcdRevision < this.revision) {
                this.clusterReplaced = true;
                restart("etcd's revision went back from " + this.revision + " to " + etcdRevision
                        + " (a new or restored cluster)");
            }
            return;
        }
        boolean changed = false;
        for (WatchEvent event : events) {
            KeyValue kv = event.getKeyValue();
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                changed |= put(key, kv.getValue(), kv.getModRevision());
            }
            else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                changed |= remove(key);
            }
            this.revision = Math.max(this.revision, kv.getModRevision());
        }
        // the first change in a replaced cluster ends the grace period of the previous list
        if (changed || this.gracePeriod.isRunning()) {
            publish();
        }
    }

    private void onWatchEnded(long thisGeneration, Throwable error) {
        if (this.closed.get() || thisGeneration != this.generation) {
            return;
        }
        if (error instanceof CompactedException) {
            this.compactionRelists.incrementAndGet();
            restart("its revision was compacted");
        }
        else {
            restart((error != null) ? "it failed: " + describe(error) : "etcd ended it");
        }
    }

    private void scheduleCheck() {
        this.checkTimer = schedule(this::checkWatch, this.checkInterval.toNanos());
    }

    /** Restarts a watch that did not answer since the last check, then asks it to prove it is alive. */
    private void checkWatch() {
        this.checkTimer = null;
        if (this.closed.get() || this.watcher == null) {
            return;
        }
        if (!this.answeredSinceLastCheck) {
            restart("it did not answer a progress request within " + this.checkInterval);
            return;
        }
        this.answeredSinceLastCheck = false;
        this.watcher.requestProgress();
        scheduleCheck();
    }

    private void restart(String reason) {
        this.healthy = false;
        this.watchRestarts.incrementAndGet();
        logger.info("Watch on etcd prefix '{}' lost because {}; re-listing", this.prefix, reason);
        relist();
    }

    private boolean replaceAll(List<KeyValue> kvs) {
        Set<String> listed = new HashSet<>();
        boolean changed = false;
        for (KeyValue kv : kvs) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            listed.add(key);
            changed |= put(key, kv.getValue(), kv.getModRevision());
        }
        this.rejected.keySet().retainAll(listed);
        for (String key : List.copyOf(this.endpoints.keySet())) {
            if (!listed.contains(key)) {
                changed |= remove(key);
            }
        }
        return changed;
    }

    private boolean put(String key, ByteSequence value, long modRevision) {
        Endpoint existing = this.endpoints.get(key);
        if (existing != null && existing.modRevision() == modRevision) {
            return false;
        }
        try {
            Endpoint endpoint = this.parser.parse(key, value.getBytes(), modRevision);
            this.rejected.remove(key);
            this.endpoints.put(key, endpoint);
            logger.debug("etcd key '{}' -> {}", key, endpoint.addressGroup());
            return existing == null || !existing.addressGroup().equals(endpoint.addressGroup());
        }
        catch (InvalidEndpointException ex) {
            if (!value.equals(this.rejected.put(key, value))) {
                this.malformedSkipped.incrementAndGet();
                logger.warn(ex.getMessage());
            }
            return this.endpoints.remove(key) != null;
        }
    }

    private boolean remove(String key) {
        this.rejected.remove(key);
        boolean removed = this.endpoints.remove(key) != null;
        if (removed) {
            logger.debug("etcd key '{}' deleted", key);
        }
        return removed;
    }

    /** Hands out the endpoints now, or with the rest of a burst if the coalescer holds them back. */
    private void publish() {
        if (this.publishTimer != null) {
            return;
        }
        long holdBackNanos = this.coalescer.holdBackNanos(System.nanoTime(), this.current != null);
        if (holdBackNanos == 0) {
            publishNow();
            return;
        }
        this.publishTimer = schedule(() -> {
            this.publishTimer = null;
            publishNow();
        }, holdBackNanos);
    }

    private void publishNow() {
        cancelPublishTimers();
        long start = System.nanoTime();
        EquivalentAddressGroup[] groups = new EquivalentAddressGroup[this.endpoints.size()];
        int i = 0;
        for (Endpoint endpoint : this.endpoints.values()) {
            groups[i++] = endpoint.addressGroup();
        }
        this.current = Collections.unmodifiableList(Arrays.asList(groups));
        this.initialError = null;
        this.endpointCount = groups.length;
        this.lastUpdate = Instant.now();
        logger.debug("etcd prefix '{}' now has {} endpoints", this.prefix, groups.length);
        for (Subscriber subscriber : List.copyOf(this.subscribers)) {
            subscriber.onEndpoints(this.current);
        }
        this.coalescer.handedOut(start, System.nanoTime());
    }

    private void cancelPublishTimers() {
        if (this.publishTimer != null) {
            this.publishTimer.cancel();
            this.publishTimer = null;
        }
        this.gracePeriod.end();
    }

    /**
     * Schedules {@code task} on the synchronization context; returns null if the watches closed the scheduler
     * meanwhile (this watch is closing then, and its close task will follow).
     */
    private ScheduledHandle schedule(Runnable task, long delayNanos) {
        try {
            return this.syncContext.schedule(task, delayNanos, TimeUnit.NANOSECONDS, this.scheduler);
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
        if (this.checkTimer != null) {
            this.checkTimer.cancel();
            this.checkTimer = null;
        }
        if (this.watcher != null) {
            Watch.Watcher old = this.watcher;
            this.watcher = null;
            try {
                old.close();
            }
            catch (RuntimeException ex) {
                logger.debug("Closing the watch on etcd prefix '{}' failed", this.prefix, ex);
            }
        }
    }

    private void cancelRetry() {
        if (this.retryTimer != null) {
            this.retryTimer.cancel();
            this.retryTimer = null;
        }
    }

    private String describe(Throwable error) {
        return EtcdFailures.describe(error, this.requestTimeout);
    }
}
