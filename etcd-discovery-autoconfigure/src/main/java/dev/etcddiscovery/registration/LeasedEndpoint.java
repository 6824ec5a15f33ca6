package dev.etcddiscovery.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.etcddiscovery.EtcdFailures;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.internal.BackoffPolicy;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one key in etcd under a lease: grant, put, keepalive, and, when the lease is lost, grant a new one and put
 * again with backoff, forever. Watches its own key and puts it back when someone deletes it.
 * <p>
 * jetcd keepalive and watch streams can stop without telling anyone, so two checks do not trust them: a keepalive
 * answer must arrive within every TTL, and the key must be present at every TTL. All state lives on one
 * single-threaded executor; every jetcd call is bounded by the request timeout. A {@code generation} number, bumped
 * on each new attempt, makes callbacks of an abandoned attempt harmless.
 */
final class LeasedEndpoint implements RegistrationHandle {

    private static final Logger logger = LoggerFactory.getLogger(LeasedEndpoint.class);

    private final Client client;

    private final String key;

    private final ByteSequence keyBytes;

    private final ByteSequence value;

    private final long ttlSeconds;

    private final Duration requestTimeout;

    private final ScheduledExecutorService executor;

    private final BackoffPolicy.Provider backoffProvider;

    private final Consumer<LeasedEndpoint> onClosed;

    private final AtomicLong leaseRegrants = new AtomicLong();

    private final AtomicLong keepAliveFailures = new AtomicLong();

    private volatile RegistrationState state = RegistrationState.REGISTERING;

    /** The lease our key is attached to, as far as we know; 0 while none. */
    private volatile long leaseId;

    /** A lease granted for a put still in flight; revoked if that put fails or we close meanwhile. */
    private long pendingLeaseId;

    private long generation;

    private boolean everRegistered;

    private BackoffPolicy backoff;

    private CloseableClient keepAlive;

    private Watch.Watcher watcher;

    private long lastKeepAliveNanos;

    private ScheduledFuture<?> retry;

    private ScheduledFuture<?> keepAliveCheck;

    private ScheduledFuture<?> keyCheck;

    private CompletableFuture<Void> closed;

    LeasedEndpoint(Client client, String key, byte[] value, long ttlSeconds, Duration requestTimeout,
            ScheduledExecutorService executor, BackoffPolicy.Provider backoffProvider,
            Consumer<LeasedEndpoint> onClosed) {
        this.client = client;
        this.key = key;
        this.keyBytes = ByteSequence.from(key, StandardCharsets.UTF_8);
        this.value = ByteSequence.from(value);
        this.ttlSeconds = ttlSeconds;
        this.requestTimeout = requestTimeout;
        this.executor = executor;
        this.backoffProvider = backoffProvider;
        this.onClosed = onClosed;
    }

    void start() {
        this.executor.execute(() -> {
            long ttlMillis = TimeUnit.SECONDS.toMillis(this.ttlSeconds);
            long checkMillis = Math.max(ttlMillis / 3, 200);
            this.keepAliveCheck = this.executor.scheduleWithFixedDelay(guarded(this::checkKeepAliveArrives),
                    checkMillis, checkMillis, TimeUnit.MILLISECONDS);
            this.keyCheck = this.executor.scheduleWithFixedDelay(guarded(this::checkKeyPresent), ttlMillis, ttlMillis,
                    TimeUnit.MILLISECONDS);
            register();
        });
    }

    @Override
    public String key() {
        return this.key;
    }

    @Override
    public RegistrationSnapshot snapshot() {
        return new RegistrationSnapshot(this.key, this.leaseId, Duration.ofSeconds(this.ttlSeconds), this.state,
                this.leaseRegrants.get(), this.keepAliveFailures.get());
    }

    private void register() {
        long attempt = ++this.generation;
        CompletableFuture<LeaseGrantResponse> grant;
        try {
            grant = bounded(this.client.getLeaseClient().grant(this.ttlSeconds));
        }
        catch (RuntimeException ex) {
            retryLater(attempt, "lease grant", ex);
            return;
        }
        grant.whenCompleteAsync((granted, error) -> {
            if (attempt != this.generation) {
                if (granted != null) {
                    revokeQuietly(granted.getID());
                }
                return;
            }
            if (error != null) {
                retryLater(attempt, "lease grant", error);
                return;
            }
            this.pendingLeaseId = granted.getID();
            put(attempt, this.pendingLeaseId);
        }, this.executor);
    }

    private void put(long attempt, long lease) {
        putUnderLease(lease)
            .whenCompleteAsync((put, error) -> {
                if (attempt != this.generation) {
                    return;
                }
                this.pendingLeaseId = 0;
                if (error != null) {
                    revokeQuietly(lease);
                    retryLater(attempt, "put", error);
                    return;
                }
                registered(attempt, lease, put.getHeader().getRevision());
            }, this.executor);
    }

    private void registered(long attempt, long lease, long revision) {
        long previousLease = this.leaseId;
        this.leaseId = lease;
        this.backoff = null;
        this.state = RegistrationState.REGISTERED;
        if (this.everRegistered) {
            this.leaseRegrants.incrementAndGet();
            logger.info("Re-registered {} in etcd with new lease {}", this.key, LeaseIds.toHex(lease));
        }
        else {
            this.everRegistered = true;
            logger.info("Registered {} in etcd (lease {}, TTL {}s)", this.key, LeaseIds.toHex(lease),
                    this.ttlSeconds);
        }
        if (previousLease != 0 && previousLease != lease) {
            // The key has moved to the new lease, so revoking the old one cannot delete it.
            revokeQuietly(previousLease);
        }
        this.lastKeepAliveNanos = System.nanoTime();
        this.keepAlive = this.client.getLeaseClient().keepAlive(lease, new KeepAliveObserver(attempt));
        watchFrom(attempt, revision + 1);
    }

    private void watchFrom(long attempt, long revision) {
        closeWatcher();
        WatchOption option = WatchOption.builder().withRevision(revision).withNoPut(true).build();
        this.watcher = this.client.getWatchClient()
            .watch(this.keyBytes, option, Watch.listener((response) -> onWatch(attempt, response),
                    (error) -> logger.debug("Watch of {} failed; jetcd resumes it", this.key, error),
                    () -> this.executor.execute(() -> onWatchEnded(attempt))));
    }

    private void onWatch(long attempt, WatchResponse response) {
        boolean deleted = response.getEvents()
            .stream()
            .anyMatch((event) -> event.getEventType() == WatchEvent.EventType.DELETE);
        if (deleted) {
            this.executor.execute(() -> restore(attempt, "the key was deleted"));
        }
    }

    private void onWatchEnded(long attempt) {
        if (isCurrent(attempt)) {
            logger.debug("Watch of {} ended; checking the key and watching again", this.key);
            verifyKey(attempt, true);
        }
    }

    /** Puts the key back under the current lease; if the lease is gone too, the put fails and a new one is granted. */
    private void restore(long attempt, String reason) {
        if (!isCurrent(attempt)) {
            return;
        }
        logger.info("{} in etcd: {}; putting it back", this.key, reason);
        long lease = this.leaseId;
        putUnderLease(lease)
            .whenCompleteAsync((put, error) -> {
                if (isCurrent(attempt) && error != null) {
                    leaseLost(attempt, "putting the key back failed: " + describe(error));
                }
            }, this.executor);
    }

    private void checkKeepAliveArrives() {
        if (this.state == RegistrationState.REGISTERED
                && System.nanoTime() - this.lastKeepAliveNanos > TimeUnit.SECONDS.toNanos(this.ttlSeconds)) {
            this.keepAliveFailures.incrementAndGet();
            leaseLost(this.generation, "no keepalive answer for a whole TTL");
        }
    }

    private void checkKeyPresent() {
        if (this.state == RegistrationState.REGISTERED) {
            verifyKey(this.generation, false);
        }
    }

    private void verifyKey(long attempt, boolean rewatch) {
        bounded(this.client.getKVClient().get(this.keyBytes, GetOption.builder().withCountOnly(true).build()))
            .whenCompleteAsync((GetResponse get, Throwable error) -> {
                if (!isCurrent(attempt)) {
                    return;
                }
                if (error != null) {
                    // The keepalive check decides whether the lease is lost; a failed read alone proves nothing.
                    logger.debug("Could not check {} in etcd", this.key, error);
                    if (rewatch) {
                        this.executor.schedule(() -> onWatchEnded(attempt), this.ttlSeconds, TimeUnit.SECONDS);
                    }
                    return;
                }
                if (rewatch) {
                    watchFrom(attempt, get.getHeader().getRevision() + 1);
                }
                if (get.getCount() == 0) {
                    restore(attempt, "the key is missing");
                }
            }, this.executor);
    }

    private void leaseLost(long attempt, String reason) {
        if (!isCurrent(attempt)) {
            return;
        }
        logger.info("Lease {} of {} lost ({}); registering again", LeaseIds.toHex(this.leaseId), this.key, reason);
        this.state = RegistrationState.RE_REGISTERING;
        stopStreams();
        register();
    }

    private void retryLater(long attempt, String step, Throwable error) {
        if (this.state == RegistrationState.DEREGISTERED || attempt != this.generation) {
            return;
        }
        this.state = this.everRegistered ? RegistrationState.RE_REGISTERING : RegistrationState.REGISTERING;
        boolean firstFailure = this.backoff == null;
        if (firstFailure) {
            this.backoff = this.backoffProvider.get();
        }
        long delayNanos = this.backoff.nextBackoffNanos();
        if (firstFailure) {
            logger.warn("Could not register {} in etcd ({} failed: {}); retrying with backoff until it works",
                    this.key, step, describe(error));
        }
        else {
            logger.debug("Registering {} failed again at {}; next try in {} ms", this.key, step,
                    TimeUnit.NANOSECONDS.toMillis(delayNanos), error);
        }
        this.retry = this.executor.schedule(guarded(this::register), delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (this.executor.isShutdown()) {
            result.complete(null);
            return result;
        }
        this.executor.execute(() -> deregister().whenComplete((ignored, error) -> result.complete(null)));
        return result;
    }

    @Override
    public void close() {
        closeAsync().join();
    }

    private CompletableFuture<Void> deregister() {
        if (this.closed != null) {
            return this.closed;
        }
        this.state = RegistrationState.DEREGISTERED;
        this.generation++;
        cancel(this.retry);
        cancel(this.keepAliveCheck);
        cancel(this.keyCheck);
        stopStreams();
        this.onClosed.accept(this);
        if (this.pendingLeaseId != 0) {
            revokeQuietly(this.pendingLeaseId);
        }
        long lease = this.leaseId;
        if (lease == 0) {
            logger.info("Deregistered {} (it was not registered yet)", this.key);
            this.closed = CompletableFuture.completedFuture(null);
            return this.closed;
        }
        this.closed = bounded(this.client.getLeaseClient().revoke(lease)).handle((revoked, error) -> {
            if (error != null) {
                logger.warn("Could not revoke lease {} of {} ({}); etcd deletes the key within {}s",
                        LeaseIds.toHex(lease), this.key, describe(error), this.ttlSeconds);
            }
            else {
                logger.info("Deregistered {} from etcd", this.key);
            }
            return null;
        });
        return this.closed;
    }

    private boolean isCurrent(long attempt) {
        return attempt == this.generation && this.state == RegistrationState.REGISTERED;
    }

    private void stopStreams() {
        if (this.keepAlive != null) {
            this.keepAlive.close();
            this.keepAlive = null;
        }
        closeWatcher();
    }

    private void closeWatcher() {
        if (this.watcher != null) {
            this.watcher.close();
            this.watcher = null;
        }
    }

    private void revokeQuietly(long lease) {
        bounded(this.client.getLeaseClient().revoke(lease)).whenComplete((revoked, error) -> {
            if (error != null) {
                logger.debug("Could not revoke unused lease {}; it expires by itself", LeaseIds.toHex(lease), error);
            }
        });
    }

    private CompletableFuture<PutResponse> putUnderLease(long lease) {
        return bounded(this.client.getKVClient()
            .put(this.keyBytes, this.value, PutOption.builder().withLeaseId(lease).build()));
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> call) {
        return call.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A periodic task that dies on an exception would stop recovery for good, so none may escape. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            }
            catch (RuntimeException ex) {
                logger.warn("Keeping {} registered in etcd failed unexpectedly; the next check tries again", this.key,
                        ex);
            }
        };
    }

    private String describe(Throwable error) {
        return EtcdFailures.describe(error, this.requestTimeout);
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "LeasedEndpoint[" + this.key + ", " + this.state + "]";
    }

    /**
     * Hands keepalive news to the executor. The lease is lost when etcd says it no longer knows it (jetcd reports a
     * NOT_FOUND error) or when jetcd gives up after a TTL without answer (completion). Any other error is a broken
     * stream, not a lost lease: jetcd re-opens the stream 500 ms later with the lease in it, and etcd keeps the lease
     * for its TTL, across restarts and leader changes. Granting a new lease on every stream error would race the old
     * lease's expiry: during a leader election the grant waits for the new leader while the old lease runs out and
     * deletes the key. A stream that does not come back is caught by the check for a keepalive answer per TTL.
     */
    private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

        private final long attempt;

        KeepAliveObserver(long attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onNext(LeaseKeepAliveResponse response) {
            LeasedEndpoint.this.executor.execute(() -> {
                if (isCurrent(this.attempt)) {
                    LeasedEndpoint.this.lastKeepAliveNanos = System.nanoTime();
                }
            });
        }

        @Override
        public void onError(Throwable error) {
            if (error instanceof EtcdException etcdError && etcdError.getErrorCode() == ErrorCode.NOT_FOUND) {
                // jetcd's word for a keepalive answered with TTL 0: etcd no longer knows the lease
                failed("keepalive answered: " + describe(error));
                return;
            }
            LeasedEndpoint.this.executor.execute(() -> {
                if (isCurrent(this.attempt)) {
                    LeasedEndpoint.this.keepAliveFailures.incrementAndGet();
                    logger.debug("Keepalive stream of {} failed ({}); jetcd re-opens it", LeasedEndpoint.this.key,
                            describe(error));
                }
            });
        }

        @Override
        public void onCompleted() {
            failed("keepalive ended, the lease expired");
        }

        private void failed(String reason) {
            LeasedEndpoint.this.executor.execute(() -> {
                if (isCurrent(this.attempt)) {
                    LeasedEndpoint.this.keepAliveFailures.incrementAndGet();
                    leaseLost(this.attempt, reason);
                }
            });
        }
    }
}
