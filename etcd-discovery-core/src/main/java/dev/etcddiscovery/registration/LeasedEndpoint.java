package dev.etcddiscovery.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.etcddiscovery.internal.EtcdFailures;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one key in etcd under a lease: grant, put, keepalive, and, when the lease is lost, grant a new one and put
 * again with backoff, forever. While a lease holds the key, an {@link OwnKeyGuard} puts the key back when someone
 * deletes or overwrites it.
 * <p>
 * The key is in etcd only while it is <em>advertised</em>: status {@link RegistrationStatus#UP} and the application
 * ready. Otherwise the lease is still granted and kept alive (so that coming back is one put), but no key is put and
 * no guard runs, whatever the recovery from a lost lease does. {@link AdvertisedKey} keeps the key in line with
 * status and readiness under the lease held.
 * <p>
 * A {@link LeaseKeepAlive} keeps the lease alive and tells when it is lost. All state lives on one single-threaded
 * executor; every jetcd call is bounded by the request timeout. A {@code generation} number, bumped on each new
 * attempt, makes callbacks of an abandoned attempt harmless.
 */
final class LeasedEndpoint implements RegistrationHandle {

    private static final Logger logger = LoggerFactory.getLogger(LeasedEndpoint.class);

    private final Client client;

    private final LeaseRequests leases;

    private final String key;

    private final long ttlSeconds;

    private final Duration requestTimeout;

    private final ScheduledExecutorService executor;

    private final RegistrationRetries retries;

    private final AdvertisedKey advertisedKey;

    private final Consumer<LeasedEndpoint> onClosed;

    private final AtomicLong leaseRegrants = new AtomicLong();

    private final AtomicLong keepAliveFailures = new AtomicLong();

    private final AtomicReference<Instant> lastRenewal = new AtomicReference<>();

    private volatile String lastError;

    /** Completes once deregistered, or abandoned when the registry stopped first; never exceptionally. */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private volatile RegistrationState state = RegistrationState.REGISTERING;

    /** The lease our key is attached to, as far as we know; 0 while none. */
    private volatile long leaseId;

    /** A lease granted for a put still in flight; revoked if that put fails or we close meanwhile. */
    private long pendingLeaseId;

    private long generation;

    private boolean everRegistered;

    private boolean deregistering;

    private LeaseKeepAlive keepAlive;

    LeasedEndpoint(KeySettings settings, RegistrationStatus status, boolean ready,
            Consumer<LeasedEndpoint> onClosed) {
        this.client = settings.client();
        this.leases = new LeaseRequests(this.client.getLeaseClient(), settings.requestTimeout());
        this.key = settings.key();
        this.ttlSeconds = settings.ttlSeconds();
        this.requestTimeout = settings.requestTimeout();
        this.executor = settings.executor();
        this.retries = new RegistrationRetries(this.key, this.executor, settings.backoff());
        this.advertisedKey = new AdvertisedKey(settings, status, ready, (error) -> this.lastError = error);
        this.onClosed = onClosed;
    }

    void start() {
        this.executor.execute(this::register);
    }

    @Override
    public String key() {
        return this.key;
    }

    @Override
    public RegistrationSnapshot snapshot() {
        RegistrationState state = this.state;
        return new RegistrationSnapshot(this.key, this.leaseId, Duration.ofSeconds(this.ttlSeconds), state,
                this.advertisedKey.status(), this.advertisedKey.ready(),
                state == RegistrationState.REGISTERED && this.advertisedKey.advertisedInEtcd(),
                this.lastRenewal.get(), this.lastError, this.leaseRegrants.get(), this.keepAliveFailures.get());
    }

    @Override
    public void setStatus(RegistrationStatus status) {
        this.advertisedKey.setStatus(status);
    }

    /** Follows the application's readiness: the key is removed while it is not ready. */
    void setReady(boolean ready) {
        this.advertisedKey.setReady(ready);
    }

    /** How many watches the key guards of this registration opened so far, over every lease. */
    long keyWatchesStarted() {
        return this.advertisedKey.keyWatchesStarted();
    }

    private void register() {
        long generation = ++this.generation;
        CompletableFuture<LeaseGrantResponse> grant;
        try {
            grant = this.leases.grant(this.ttlSeconds);
        }
        catch (RuntimeException ex) {
            retryLater(generation, "lease grant", ex);
            return;
        }
        grant.whenCompleteAsync((granted, error) -> {
            if (generation != this.generation) {
                if (granted != null) {
                    this.leases.revokeQuietly(granted.getID());
                }
                return;
            }
            if (error != null) {
                retryLater(generation, "lease grant", error);
                return;
            }
            this.lastRenewal.set(Instant.now());
            if (this.advertisedKey.advertised()) {
                this.pendingLeaseId = granted.getID();
                put(generation, this.pendingLeaseId);
            }
            else {
                registered(generation, granted.getID(), -1);
            }
        }, this.executor);
    }

    private void put(long generation, long lease) {
        this.advertisedKey.put(lease).whenCompleteAsync((put, error) -> {
            if (generation != this.generation) {
                return;
            }
            this.pendingLeaseId = 0;
            if (error != null) {
                this.leases.revokeQuietly(lease);
                retryLater(generation, "put", error);
                return;
            }
            registered(generation, lease, put.getHeader().getRevision());
        }, this.executor);
    }

    /** Holds {@code lease} from now on; with the key put at {@code revision}, or without the key when it is -1. */
    private void registered(long generation, long lease, long revision) {
        long previousLease = this.leaseId;
        this.leaseId = lease;
        this.retries.succeeded();
        this.state = RegistrationState.REGISTERED;
        String withoutKey = (revision < 0) ? " without its key (" + this.advertisedKey.whyNotAdvertised() + ")" : "";
        if (this.everRegistered) {
            this.leaseRegrants.incrementAndGet();
            logger.info("Re-registered {} in etcd with new lease {}{}", this.key, LeaseIds.toHex(lease),
                    withoutKey);
        }
        else {
            this.everRegistered = true;
            logger.info("Registered {} in etcd (lease {}, TTL {}s){}", this.key, LeaseIds.toHex(lease),
                    this.ttlSeconds, withoutKey);
        }
        if (previousLease != 0 && previousLease != lease) {
            // The key has moved to the new lease, so revoking the old one cannot delete it.
            this.leases.revokeQuietly(previousLease);
        }
        this.keepAlive = new LeaseKeepAlive(this.client.getLeaseClient(), lease, this.key, generation,
                this.ttlSeconds, this.executor, this.keepAliveFailures, this.lastRenewal, this::leaseLost);
        this.advertisedKey.attach(lease, revision, (reason) -> leaseLost(generation, reason));
    }

    private void leaseLost(long generation, String reason) {
        if (!isCurrent(generation)) {
            return;
        }
        logger.info("Lease {} of {} lost ({}); registering again", LeaseIds.toHex(this.leaseId), this.key, reason);
        this.lastError = reason;
        this.state = RegistrationState.RE_REGISTERING;
        stopStreams();
        register();
    }

    private void retryLater(long generation, String step, Throwable error) {
        if (this.state == RegistrationState.DEREGISTERED || generation != this.generation) {
            return;
        }
        this.state = this.everRegistered ? RegistrationState.RE_REGISTERING : RegistrationState.REGISTERING;
        String reason = describe(error);
        this.lastError = step + " failed: " + reason;
        this.retries.retryLater(this::register, step, reason, error);
    }

    /**
     * Deregisters on the executor. Should the registry stop the executor before the task runs, the registry
     * {@linkplain #abandon() abandons} this endpoint, and a close after that completes at once: the returned future
     * always completes.
     */
    @Override
    public CompletableFuture<Void> closeAsync() {
        this.executor.execute(this::deregister);
        if (this.executor.isShutdown()) {
            abandon();
        }
        return this.closed.copy();
    }

    @Override
    public void close() {
        closeAsync().join();
    }

    /** Gives up without a word to etcd, once the executor is stopped: the key expires with its lease. */
    void abandon() {
        this.state = RegistrationState.DEREGISTERED;
        this.closed.complete(null);
    }

    private void deregister() {
        if (this.deregistering) {
            return;
        }
        this.deregistering = true;
        this.state = RegistrationState.DEREGISTERED;
        this.generation++;
        this.retries.cancel();
        stopStreams();
        this.onClosed.accept(this);
        if (this.pendingLeaseId != 0) {
            this.leases.revokeQuietly(this.pendingLeaseId);
        }
        long lease = this.leaseId;
        if (lease == 0) {
            logger.info("Deregistered {} (it was not registered yet)", this.key);
            this.closed.complete(null);
            return;
        }
        this.leases.revoke(lease).whenComplete((revoked, error) -> {
            if (error != null) {
                logger.warn("Could not revoke lease {} of {} ({}); etcd deletes the key within {}s",
                        LeaseIds.toHex(lease), this.key, describe(error), this.ttlSeconds);
            }
            else {
                logger.info("Deregistered {} from etcd", this.key);
            }
            this.closed.complete(null);
        });
    }

    private boolean isCurrent(long generation) {
        return generation == this.generation && this.state == RegistrationState.REGISTERED;
    }

    private void stopStreams() {
        if (this.keepAlive != null) {
            this.keepAlive.close();
            this.keepAlive = null;
        }
        this.advertisedKey.detach();
    }

    private String describe(Throwable error) {
        return EtcdFailures.describe(error, this.requestTimeout);
    }

    @Override
    public String toString() {
        return "LeasedEndpoint[" + this.key + ", " + this.state + "]";
    }
}
