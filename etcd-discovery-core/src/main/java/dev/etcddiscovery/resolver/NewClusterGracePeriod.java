package dev.etcddiscovery.resolver;

import java.time.Duration;

import io.grpc.SynchronizationContext.ScheduledHandle;

/**
 * The rule for a wiped or replaced etcd cluster, which comes back empty before the servers have registered again
 * (within their lease TTL): subscribers keep the previous list until a change brings endpoints under the prefix or
 * the grace period ends, so that healthy servers are not taken away meanwhile. A zero period turns the rule off.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context, which also runs its timer
 * ({@link EndpointPublisher}).
 */
final class NewClusterGracePeriod {

    private final Duration length;

    /** Runs out the grace period while the previous list is kept; null when it is not running. */
    private ScheduledHandle timer;

    NewClusterGracePeriod(Duration length) {
        this.length = length;
    }

    Duration length() {
        return this.length;
    }

    boolean isRunning() {
        return this.timer != null;
    }

    /**
     * Whether subscribers keep the previous list instead of the one just listed: while the grace period runs, or
     * when the listed one is the first of a new cluster, is empty and the previous list was not.
     * @param listedEmpty whether the prefix was listed empty
     * @param newCluster whether the list comes from a new or restored etcd cluster
     * @param previousHadEndpoints whether the list handed out before has any endpoints
     */
    boolean keepsPrevious(boolean listedEmpty, boolean newCluster, boolean previousHadEndpoints) {
        return listedEmpty && !this.length.isZero() && (isRunning() || (newCluster && previousHadEndpoints));
    }

    /** Starts the period with the timer that ends it; a null timer (the watch is closing) leaves it not running. */
    void started(ScheduledHandle timer) {
        this.timer = timer;
    }

    /** Records that the timer ran out. */
    void expired() {
        this.timer = null;
    }

    /** Ends the period early, because a list was handed out. */
    void end() {
        if (this.timer != null) {
            this.timer.cancel();
            this.timer = null;
        }
    }
}
