package dev.etcddiscovery.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.etcddiscovery.internal.EtcdFailures;
import dev.etcddiscovery.internal.LinkProbe;
import dev.etcddiscovery.internal.WatchLiveness;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.internal.BackoffPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the application's own key as it was registered, under one lease: watches the key and puts it back when
 * someone deletes it or overwrites it (another value, or no lease or another one: a key without our lease outlives
 * the application). When a put back fails the lease is gone, and the owner is told so that it grants a new one. Runs
 * on the registration's executor.
 * <p>
 * Every check interval (the TTL) the watch must prove that it is alive ({@link WatchLiveness}: a progress request
 * answered or, through etcd's gRPC proxy, a status request answered on the client's connection), so a healthy guard
 * costs etcd no Range and no new watch. A silent watch is replaced like one that ended: the key is read once, put back
 * if it is missing or not ours, and watched again from there.
 * <p>
 * Each watch carries the {@code generation} it was started in, and a callback of any other watch changes nothing:
 * jetcd reports a completion for a watch we close ourselves, and a stray completion (a proxy ending the stream with
 * OK) must lead to one new watch, not to a loop. Watches that keep ending are replaced with backoff. The watches
 * come from an injectable {@link Watch}, the client's own by default.
 */
final class OwnKeyGuard {

    private static final Logger logger = LoggerFactory.getLogger(OwnKeyGuard.class);

    private final KV kv;

    private final Watch watchSource;

    private final String key;

    private final ByteSequence keyBytes;

    private final ByteSequence value;

    private final long lease;

    private final Duration requestTimeout;

    private final Duration checkInterval;

    private final LinkProbe linkProbe;

    private final ScheduledExecutorService executor;

    private final BackoffPolicy.Provider backoffProvider;

    private final Consumer<String> putBackFailed;

    private final AtomicLong watchesStarted;

    private long generation;

    private OwnKeyWatch watch;

    /** The watch seen at the previous check; if it is still the current one, it lived a whole check interval. */
    private OwnKeyWatch watchAtLastCheck;

    private BackoffPolicy rewatchBackoff;

    private BackoffPolicy overwriteBackoff;

    private boolean overwriteReported;

    /**
     * Whether the key was overwritten since the previous check; if not, and no put back is pending, it stayed ours a
     * whole check interval, and the next overwrite is put back at once again.
     */
    private boolean overwrittenSinceLastCheck;

    private ScheduledFuture<?> check;

    private ScheduledFuture<?> rewatch;

    private ScheduledFuture<?> putBack;

    private boolean closed;

    /**
     * @param watchesStarted counts the watches opened (resumptions by jetcd not counted)
     * @param putBackFailed told, on the executor, why putting the key back failed (the lease is probably gone)
     */
    OwnKeyGuard(KeySettings settings, long lease, AtomicLong watchesStarted, Consumer<String> putBackFailed) {
        this.kv = settings.client().getKVClient();
        this.watchSource = settings.keyWatchSource();
        this.key = settings.key();
        this.keyBytes = ByteSequence.from(this.key, StandardCharsets.UTF_8);
        this.value = ByteSequence.from(settings.value());
        this.lease = lease;
        this.requestTimeout = settings.requestTimeout();
        this.checkInterval = Duration.ofSeconds(settings.ttlSeconds());
        this.linkProbe = settings.linkProbe();
        this.executor = settings.executor();
        this.backoffProvider = settings.backoff();
        this.watchesStarted = watchesStarted;
        this.putBackFailed = putBackFailed;
    }

    /** Watches the key from {@code revision} (the one after our put) and starts the periodic check. */
    void start(long revision) {
        long millis = this.checkInterval.toMillis();
        this.check = this.executor.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
        watchFrom(revision);
    }

    /** Stops guarding: no put back, no read and no watch after this. */
    void close() {
        this.closed = true;
        this.generation++;
        cancel(this.check);
        cancel(this.rewatch);
        cancel(this.putBack);
        if (this.watch != null) {
            this.watch.close();
            this.watch = null;
        }
    }

    private void watchFrom(long revision) {
        OwnKeyWatch previous = this.watch;
        this.watch = new OwnKeyWatch(this.watchSource, this.keyBytes, revision, ++this.generation, this.executor,
                this.requestTimeout, this.linkProbe, this::onEvents, this::onWatchEnded);
        this.watchesStarted.incrementAndGet();
        if (previous != null) {
            previous.close();
        }
    }

    private void onEvents(long watchGeneration, List<WatchEvent> events) {
        if (watchGeneration != this.generation || events.isEmpty()) {
            return;
        }
        WatchEvent last = events.get(events.size() - 1);
        if (last.getEventType() == WatchEvent.EventType.DELETE) {
            putBack("the key was deleted", false);
        }
        else if (!ours(last.getKeyValue())) {
            putBack(overwritten(last.getKeyValue()), true);
        }
    }

    private void onWatchEnded(long watchGeneration) {
        if (watchGeneration != this.generation || this.closed) {
            return;
        }
        boolean first = this.rewatchBackoff == null;
        if (first) {
            this.rewatchBackoff = this.backoffProvider.get();
        }
        long delayNanos = first ? 0 : this.rewatchBackoff.nextBackoffNanos();
        logger.debug("Watch of {} ended; reading the key and watching again in {} ms", this.key,
                TimeUnit.NANOSECONDS.toMillis(delayNanos));
        long rewatchGeneration = ++this.generation;
        this.rewatch = this.executor.schedule(() -> rewatch(rewatchGeneration), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void rewatch(long rewatchGeneration) {
        bounded(this.kv.get(this.keyBytes)).whenCompleteAsync((get, error) -> {
            if (rewatchGeneration != this.generation || this.closed) {
                return;
            }
            if (error != null) {
                logger.debug("Could not read {} in etcd before watching it again", this.key, error);
                onWatchEnded(rewatchGeneration);
                return;
            }
            watchFrom(get.getHeader().getRevision() + 1);
            inspect(get);
        }, this.executor);
    }

    /** A periodic task that dies on an exception would stop the checks for good, so none may escape. */
    private void checkSafely() {
        try {
            check();
        }
        catch (RuntimeException ex) {
            logger.warn("Checking {} in etcd failed unexpectedly; the next check tries again", this.key, ex);
        }
    }

    private void check() {
        if (this.watch == null || this.watch.generation() != this.generation) {
            return;
        }
        if (this.watch == this.watchAtLastCheck) {
            this.rewatchBackoff = null;
        }
        this.watchAtLastCheck = this.watch;
        if (!this.overwrittenSinceLastCheck && (this.putBack == null || this.putBack.isDone())) {
            this.overwriteBackoff = null;
        }
        this.overwrittenSinceLastCheck = false;
        if (this.watch.check() == WatchLiveness.Verdict.SILENT) {
            logger.debug("Watch of {} went silent: {}", this.key, this.watch.silence(this.checkInterval));
            onWatchEnded(this.generation);
        }
    }

    private void inspect(GetResponse get) {
        if (get.getKvs().isEmpty()) {
            putBack("the key is missing", false);
        }
        else if (!ours(get.getKvs().get(0))) {
            putBack(overwritten(get.getKvs().get(0)), true);
        }
    }

    /**
     * Puts the key back under our lease, at once after a delete; after an overwrite with backoff, in case another
     * writer keeps overwriting it (two instances registering the same address).
     */
    private void putBack(String reason, boolean overwrite) {
        this.overwrittenSinceLastCheck |= overwrite;
        if (this.putBack != null && !this.putBack.isDone()) {
            return;
        }
        long delayNanos = 0;
        if (overwrite) {
            if (this.overwriteBackoff == null) {
                this.overwriteBackoff = this.backoffProvider.get();
            }
            else {
                delayNanos = this.overwriteBackoff.nextBackoffNanos();
            }
            if (!this.overwriteReported) {
                this.overwriteReported = true;
                logger.warn("{} in etcd was {}; putting it back under lease {} (does another process register "
                        + "the same address?)", this.key, reason, LeaseIds.toHex(this.lease));
            }
            else {
                logger.debug("{} in etcd was {} again; putting it back in {} ms", this.key, reason,
                        TimeUnit.NANOSECONDS.toMillis(delayNanos));
            }
        }
        else {
            logger.info("{} in etcd: {}; putting it back", this.key, reason);
        }
        this.putBack = this.executor.schedule(this::put, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void put() {
        bounded(this.kv.put(this.keyBytes, this.value, PutOption.builder().withLeaseId(this.lease).build()))
            .whenCompleteAsync((put, error) -> {
                if (error != null && !this.closed) {
                    this.putBackFailed.accept("putting the key back failed: "
                            + EtcdFailures.describe(error, this.requestTimeout));
                }
            }, this.executor);
    }

    private boolean ours(KeyValue keyValue) {
        return keyValue.getLease() == this.lease && keyValue.getValue().equals(this.value);
    }

    private String overwritten(KeyValue keyValue) {
        if (keyValue.getLease() == 0) {
            return "overwritten without a lease";
        }
        if (keyValue.getLease() != this.lease) {
            return "overwritten under another lease (" + LeaseIds.toHex(keyValue.getLease()) + ")";
        }
        return "overwritten with another value";
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> call) {
        return call.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
