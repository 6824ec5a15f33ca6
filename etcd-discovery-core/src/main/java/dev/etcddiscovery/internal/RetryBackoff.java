package dev.etcddiscovery.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.grpc.internal.BackoffPolicy;
import io.grpc.internal.ExponentialBackoffPolicy;

/**
 * Retry delays of the resolver and the registration while etcd is unreachable: gRPC's exponential backoff (1 s,
 * growing 1.6 times per attempt, with jitter), capped at the configured {@code maxRetryBackoff}. gRPC's own cap of
 * 2 minutes would leave an instance unregistered, or a client's list stale, for up to that long after etcd is back.
 */
public final class RetryBackoff {

    /** The cap used when none is configured. */
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(5);

    private RetryBackoff() {
    }

    /** Policies whose delays never exceed {@code max}; at the cap they keep a jitter of 20% so clients spread out. */
    public static BackoffPolicy.Provider capped(Duration max) {
        long maxNanos = max.toNanos();
        ExponentialBackoffPolicy.Provider exponential = new ExponentialBackoffPolicy.Provider();
        return () -> {
            BackoffPolicy policy = exponential.get();
            return () -> {
                long next = policy.nextBackoffNanos();
                return (next <= maxNanos) ? next : (long) (maxNanos * ThreadLocalRandom.current().nextDouble(0.8, 1.0));
            };
        };
    }
}
