package dev.etcddiscovery.registration;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.support.CloseableClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one lease alive with jetcd's keepalive stream, and tells its owner when the lease is lost: etcd no longer
 * knows it, jetcd gave up, or no answer came for a whole TTL (a stream that went silent without an error). Runs on
 * the registration's executor; news of the keepalive stream carry the {@code generation} of the lease.
 */
final class LeaseKeepAlive implements KeepAliveObserver.Events {

    private static final Logger logger = LoggerFactory.getLogger(LeaseKeepAlive.class);

    /** Where the owner hears that the lease is lost. */
    interface LeaseLost {

        void leaseLost(long generation, String reason);
    }

    private final String key;

    private final long generation;

    private final long ttlNanos;

    private final ScheduledExecutorService executor;

    private final AtomicLong failures;

    private final AtomicReference<Instant> lastRenewal;

    private final LeaseLost owner;

    private final CloseableClient stream;

    private final ScheduledFuture<?> silenceCheck;

    private long lastAnswerNanos = System.nanoTime();

    private boolean closed;

    /**
     * Starts keeping {@code lease} alive.
     * @param failures counts keepalives that failed, ended or went silent for a whole TTL
     * @param lastRenewal set to when etcd last answered a keepalive
     */
    LeaseKeepAlive(Lease leaseClient, long lease, String key, long generation, long ttlSeconds,
            ScheduledExecutorService executor, AtomicLong failures, AtomicReference<Instant> lastRenewal,
            LeaseLost owner) {
        this.key = key;
        this.generation = generation;
        this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
        this.executor = executor;
        this.failures = failures;
        this.lastRenewal = lastRenewal;
        this.owner = owner;
        this.stream = leaseClient.keepAlive(lease, new KeepAliveObserver(generation, executor, this));
        long checkMillis = Math.max(TimeUnit.NANOSECONDS.toMillis(this.ttlNanos) / 3, 200);
        this.silenceCheck = executor.scheduleWithFixedDelay(this::checkAnswerArrives, checkMillis, checkMillis,
                TimeUnit.MILLISECONDS);
    }

    void close() {
        this.closed = true;
        this.silenceCheck.cancel(false);
        this.stream.close();
    }

    @Override
    public void keepAliveAnswered(long generation) {
        if (isCurrent(generation)) {
            this.lastAnswerNanos = System.nanoTime();
            this.lastRenewal.set(Instant.now());
        }
    }

    @Override
    public void keepAliveBroken(long generation, Throwable error) {
        if (isCurrent(generation)) {
            this.failures.incrementAndGet();
            logger.debug("Keepalive stream of {} failed; jetcd re-opens it", this.key, error);
        }
    }

    @Override
    public void leaseGone(long generation, String reason) {
        if (isCurrent(generation)) {
            lost(reason);
        }
    }

    private void checkAnswerArrives() {
        if (!this.closed && System.nanoTime() - this.lastAnswerNanos > this.ttlNanos) {
            lost("no keepalive answer for a whole TTL");
        }
    }

    private void lost(String reason) {
        this.failures.incrementAndGet();
        close();
        this.owner.leaseLost(this.generation, reason);
    }

    private boolean isCurrent(long generation) {
        return generation == this.generation && !this.closed;
    }
}
