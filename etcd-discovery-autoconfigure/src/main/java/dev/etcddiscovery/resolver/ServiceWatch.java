package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
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
 * its subscribers one full list per watch response that changed it.
 * <p>
 * It never stops following: a watch that fails, is cancelled, falls behind a compaction, sees etcd's revision go
 * back (a wiped cluster) or leaves a progress request unanswered for a whole check interval is replaced by a new
 * list and watch, retried with exponential backoff while etcd is unreachable. Meanwhile subscribers keep the last
 * list; they get an error only if nothing was ever listed.
 * <p>
 * All state is confined to this watch's {@link SynchronizationContext}; jetcd callbacks and timers enter through it.
 */
final class ServiceWatch {

    /** Receives the endpoints of a watch; called from the watch's synchronization context. */
    interface Subscriber {

        void onEndpoints(List<EquivalentAddressGroup> endpoints);

        void onError(Status error);
    }

    private static final Logger logger = LoggerFactory.getLogger(ServiceWatch.class);

    private final String prefix;

    private final ByteSequence prefixBytes;

    private final Client client;

    private final EndpointParser parser;

    private final ScheduledExecutorService scheduler;

    private final BackoffPolicy.Provider backoffProvider;

    private final Duration requestTimeout;

    private final Duration checkInterval;

    private final SynchronizationContext syncContext;

    private final NavigableMap<String, Endpoint> endpoints = new TreeMap<>();

    private final Map<String, ByteSequence> rejected = new HashMap<>();

    private final Set<Subscriber> subscribers = new LinkedHashSet<>();

    /** Incremented whenever the current list or watch is abandoned, so late callbacks of old ones are ignored. */
    private long attempt;

    private long revision;

    private List<EquivalentAddressGroup> current;

    private Status initialError;

    private boolean listing;

    private Watch.Watcher watcher;

    private boolean answeredSinceLastCheck;

    private ScheduledHandle checkTimer;

    private ScheduledHandle retryTimer;

    private BackoffPolicy backoff;

    private boolean closed;

    private volatile boolean healthy;

    private volatile Instant lastUpdate;

    private volatile int endpointCount;

    private final AtomicLong watchRestarts = new AtomicLong();

    private final AtomicLong compactionRelists = new AtomicLong();

    private final AtomicLong malformedSkipped = new AtomicLong();

    ServiceWatch(String prefix, Client client, EndpointParser parser, ScheduledExecutorService scheduler,
            BackoffPolicy.Provider backoffProvider, Duration requestTimeout, Duration checkInterval) {
        this.prefix = prefix;
        this.prefixBytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        this.client = client;
        this.parser = parser;
        this.scheduler = scheduler;
        this.backoffProvider = backoffProvider;
        this.requestTimeout = requestTimeout;
        this.checkInterval = checkInterval;
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
            if (this.closed) {
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
        this.syncContext.execute(() -> {
            if (this.closed) {
                return;
            }
            this.closed = true;
            this.healthy = false;
            stopWatch();
            cancelRetry();
            this.subscribers.clear();
            logger.info("Stopped following etcd prefix '{}'", this.prefix);
        });
    }

    WatchSnapshot snapshot() {
        return new WatchSnapshot(this.prefix, this.endpointCount, this.lastUpdate, this.healthy,
                this.watchRestarts.get(), this.compactionRelists.get(), this.malformedSkipped.get());
    }

    private void relist() {
        if (this.closed || this.listing) {
            return;
        }
        cancelRetry();
        stopWatch();
        this.listing = true;
        long thisAttempt = this.attempt;
        CompletableFuture<GetResponse> list;
        try {
            list = this.client.getKVClient().get(this.prefixBytes, GetOption.builder().isPrefix(true).build());
        }
        catch (RuntimeException ex) {
            list = CompletableFuture.failedFuture(ex);
        }
        // jetcd waits for etcd forever (waitForReady): bound each attempt so the backoff can take over
        list.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((response, error) -> this.syncContext.execute(() -> onListed(thisAttempt, response, error)));
    }

    private void onListed(long thisAttempt, GetResponse response, Throwable error) {
        if (this.closed || thisAttempt != this.attempt) {
            return;
        }
        this.listing = false;
        if (error != null) {
            onListFailed(unwrap(error));
            return;
        }
        this.backoff = null;
        boolean changed = replaceAll(response.getKvs());
        this.revision = response.getHeader().getRevision();
        if (changed || this.current == null) {
            publish();
        }
        logger.info("Listed etcd prefix '{}' at revision {}: {} endpoints", this.prefix, this.revision,
                this.endpoints.size());
        startWatch();
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
        this.retryTimer = this.syncContext.schedule(() -> {
            this.retryTimer = null;
            relist();
        }, delayNanos, TimeUnit.NANOSECONDS, this.scheduler);
    }

    private void startWatch() {
        long thisAttempt = this.attempt;
        WatchOption option = WatchOption.builder()
            .isPrefix(true)
            .withRevision(this.revision + 1)
            .withRequireLeader(true)
            .build();
        Watch.Listener listener = Watch.listener(
                (response) -> this.syncContext.execute(() -> onWatchResponse(thisAttempt, response)),
                (error) -> this.syncContext.execute(() -> onWatchEnded(thisAttempt, error)),
                () -> this.syncContext.execute(() -> onWatchEnded(thisAttempt, null)));
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

    private void onWatchResponse(long thisAttempt, WatchResponse response) {
        if (this.closed || thisAttempt != this.attempt) {
            return;
        }
        this.answeredSinceLastCheck = true;
        this.healthy = true;
        List<WatchEvent> events = response.getEvents();
        if (events.isEmpty()) {
            long etcdRevision = response.getHeader().getRevision();
            if (etcdRevision < this.revision) {
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
        if (changed) {
            publish();
        }
    }

    private void onWatchEnded(long thisAttempt, Throwable error) {
        if (this.closed || thisAttempt != this.attempt) {
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
        this.checkTimer = this.syncContext.schedule(this::checkWatch, this.checkInterval.toNanos(),
                TimeUnit.NANOSECONDS, this.scheduler);
    }

    /** Restarts a watch that did not answer since the last check, then asks it to prove it is alive. */
    private void checkWatch() {
        this.checkTimer = null;
        if (this.closed || this.watcher == null) {
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

    private void publish() {
        this.current = this.endpoints.values().stream().map(Endpoint::addressGroup).toList();
        this.initialError = null;
        this.endpointCount = this.current.size();
        this.lastUpdate = Instant.now();
        logger.debug("etcd prefix '{}' now has {} endpoints", this.prefix, this.current.size());
        List.copyOf(this.subscribers).forEach((subscriber) -> subscriber.onEndpoints(this.current));
    }

    private void stopWatch() {
        this.attempt++;
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

    private static Throwable unwrap(Throwable error) {
        return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
    }

    private String describe(Throwable error) {
        if (error instanceof TimeoutException) {
            return "etcd did not answer within " + this.requestTimeout;
        }
        return (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
    }
}
