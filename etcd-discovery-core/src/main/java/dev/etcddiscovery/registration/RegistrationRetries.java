package dev.etcddiscovery.registration;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.internal.BackoffPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a {@link LeasedEndpoint} tries again to register after a failed grant or put: with capped backoff that grows
 * over a series of failures and starts over once registered. The first failure of a series is a WARN, the others
 * DEBUG. Not thread-safe: used only from the registration's executor, which also runs the retries.
 */
final class RegistrationRetries {

    // the registration's own log category, where users look for (and may have silenced) its failures
    private static final Logger logger = LoggerFactory.getLogger(LeasedEndpoint.class);

    private final String key;

    private final ScheduledExecutorService executor;

    private final BackoffPolicy.Provider backoffProvider;

    /** null while no failure is pending: the next failure starts a new series. */
    private BackoffPolicy backoff;

    private ScheduledFuture<?> retry;

    RegistrationRetries(String key, ScheduledExecutorService executor, BackoffPolicy.Provider backoffProvider) {
        this.key = key;
        this.executor = executor;
        this.backoffProvider = backoffProvider;
    }

    /** Runs {@code register} again after the next backoff, {@code step} having failed with {@code reason}. */
    void retryLater(Runnable register, String step, String reason, Throwable error) {
        boolean firstFailure = this.backoff == null;
        if (firstFailure) {
            this.backoff = this.backoffProvider.get();
        }
        long delayNanos = this.backoff.nextBackoffNanos();
        if (firstFailure) {
            logger.warn("Could not register {} in etcd ({} failed: {}); retrying with backoff until it works",
                    this.key, step, reason);
        }
        else {
            logger.debug("Registering {} failed again at {}; next try in {} ms", this.key, step,
                    TimeUnit.NANOSECONDS.toMillis(delayNanos), error);
        }
        this.retry = this.executor.schedule(register, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Registered: the next failure waits the first backoff step again. */
    void succeeded() {
        this.backoff = null;
    }

    /** Drops a pending retry. */
    void cancel() {
        if (this.retry != null) {
            this.retry.cancel(false);
        }
    }
}
