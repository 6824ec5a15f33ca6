package dev.etcddiscovery.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.etcddiscovery.internal.EtcdFailures;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.PutOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advertised state of a {@link LeasedEndpoint}'s key: the key is in etcd only while the status is
 * {@link RegistrationStatus#UP} and the application ready. While a lease is {@linkplain #attach attached}, puts or
 * deletes the key to follow status and readiness, one at a time so that they land in order, and guards the key with
 * an {@link OwnKeyGuard} while it is in etcd.
 * <p>
 * Runs on the endpoint's single-threaded executor. An {@code epoch} number, bumped on each attach and detach, makes
 * callbacks of key operations under a former lease harmless.
 */
final class AdvertisedKey {

    private static final Logger logger = LoggerFactory.getLogger(AdvertisedKey.class);

    private final KeySettings settings;

    private final Client client;

    private final String key;

    private final ByteSequence keyBytes;

    private final byte[] value;

    private final Duration requestTimeout;

    private final ScheduledExecutorService executor;

    private final Consumer<String> onError;

    private final AtomicLong keyWatchesStarted = new AtomicLong();

    private volatile RegistrationStatus status;

    private volatile boolean ready;

    /** The lease the key is put under while attached; 0 while detached. */
    private long leaseId;

    private Consumer<String> onLeaseLost;

    private long epoch;

    /** Whether we put the key under the current lease and have not deleted it since. */
    private boolean inEtcd;

    /** A put or delete of the key for a status change is under way; the next waits for it, to keep their order. */
    private boolean keyOpInFlight;

    private OwnKeyGuard guard;

    private ScheduledFuture<?> retry;

    AdvertisedKey(KeySettings settings, RegistrationStatus status, boolean ready, Consumer<String> onError) {
        this.settings = settings;
        this.client = settings.client();
        this.key = settings.key();
        this.keyBytes = ByteSequence.from(this.key, StandardCharsets.UTF_8);
        this.value = settings.value();
        this.requestTimeout = settings.requestTimeout();
        this.executor = settings.executor();
        this.status = status;
        this.ready = ready;
        this.onError = onError;
    }

    RegistrationStatus status() {
        return this.status;
    }

    boolean ready() {
        return this.ready;
    }

    void setStatus(RegistrationStatus status) {
        this.status = status;
        this.executor.execute(this::reconcile);
    }

    void setReady(boolean ready) {
        this.ready = ready;
        this.executor.execute(this::reconcile);
    }

    boolean advertised() {
        return this.status == RegistrationStatus.UP && this.ready;
    }

    /** Whether the key should be and, as far as we know, is in etcd under the attached lease. */
    boolean advertisedInEtcd() {
        return advertised() && this.inEtcd;
    }

    String whyNotAdvertised() {
        return (this.status != RegistrationStatus.UP) ? "status " + this.status : "application not ready";
    }

    long keyWatchesStarted() {
        return this.keyWatchesStarted.get();
    }

    /** Puts the key under {@code lease}, waiting at most the request timeout. */
    CompletableFuture<PutResponse> put(long lease) {
        return bounded(this.client.getKVClient()
            .put(this.keyBytes, ByteSequence.from(this.value), PutOption.builder().withLeaseId(lease).build()));
    }

    /**
     * Follows status and readiness under {@code lease} from now on; the key was put at {@code revision}, or not put
     * when it is -1. {@code onLeaseLost} hears when the key shows the lease is gone.
     */
    void attach(long lease, long revision, Consumer<String> onLeaseLost) {
        this.epoch++;
        this.leaseId = lease;
        this.onLeaseLost = onLeaseLost;
        if (revision >= 0) {
            this.inEtcd = true;
            guard(revision + 1);
        }
        reconcile();
    }

    /** Stops following the lease: it is lost or revoked, and the key with it. */
    void detach() {
        this.epoch++;
        this.leaseId = 0;
        this.onLeaseLost = null;
        this.inEtcd = false;
        this.keyOpInFlight = false;
        if (this.retry != null) {
            this.retry.cancel(false);
            this.retry = null;
        }
        closeGuard();
    }

    private void guard(long fromRevision) {
        this.guard = new OwnKeyGuard(this.settings, this.leaseId, this.keyWatchesStarted, this.onLeaseLost);
        this.guard.start(fromRevision);
    }

    /** Brings the key in line with the status and readiness, one put or delete at a time, while a lease is held. */
    private void reconcile() {
        if (this.leaseId == 0 || this.keyOpInFlight) {
            return;
        }
        if (advertised() && (!this.inEtcd || this.guard == null)) {
            putKey();
        }
        else if (!advertised() && this.inEtcd) {
            deleteKey();
        }
    }

    private void putKey() {
        long epoch = this.epoch;
        this.keyOpInFlight = true;
        put(this.leaseId).whenCompleteAsync((put, error) -> {
            if (epoch != this.epoch) {
                return;
            }
            this.keyOpInFlight = false;
            if (error != null) {
                this.onLeaseLost.accept("putting the key back in rotation failed: " + describe(error));
                return;
            }
            logger.info("{} is back in etcd", this.key);
            this.inEtcd = true;
            if (this.guard == null) {
                guard(put.getHeader().getRevision() + 1);
            }
            reconcile();
        }, this.executor);
    }

    private void deleteKey() {
        long epoch = this.epoch;
        this.keyOpInFlight = true;
        closeGuard();
        bounded(this.client.getKVClient().delete(this.keyBytes)).whenCompleteAsync((deleted, error) -> {
            if (epoch != this.epoch) {
                return;
            }
            this.keyOpInFlight = false;
            if (error != null) {
                String lastError = "deleting the key failed: " + describe(error);
                this.onError.accept(lastError);
                logger.warn("Could not take {} out of etcd ({}); trying again", this.key, lastError);
                this.retry = this.executor.schedule(this::reconcile, this.requestTimeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                return;
            }
            this.inEtcd = false;
            logger.info("Deleted {} from etcd ({}); lease {} is kept alive", this.key, whyNotAdvertised(),
                    LeaseIds.toHex(this.leaseId));
            reconcile();
        }, this.executor);
    }

    private void closeGuard() {
        if (this.guard != null) {
            this.guard.close();
            this.guard = null;
        }
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> call) {
        return call.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String describe(Throwable error) {
        return EtcdFailures.describe(error, this.requestTimeout);
    }
}
