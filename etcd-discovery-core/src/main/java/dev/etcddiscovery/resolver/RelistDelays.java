package dev.etcddiscovery.resolver;

import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.internal.BackoffPolicy;

/**
 * When a {@link PrefixWatch} lists again: at once after losing a watch that answered (a progress answer or events),
 * otherwise after a capped backoff that grows until a watch answers, so that neither an unreachable etcd nor a watch
 * that keeps failing right after it starts is retried in a loop.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context, which also runs its timer.
 */
final class RelistDelays {

    private final BackoffPolicy.Provider provider;

    private final Timers timers;

    /** null once a watch answered. */
    private BackoffPolicy backoff;

    private ScheduledHandle timer;

    RelistDelays(BackoffPolicy.Provider provider, Timers timers) {
        this.provider = provider;
        this.timers = timers;
        this.backoff = provider.get();
    }

    /** A watch answered: the next loss is retried at once. */
    void watchAnswered() {
        this.backoff = null;
    }

    /** The delay before listing again after a lost watch: 0 if it had answered, else the next backoff. */
    long afterLostWatch() {
        if (this.backoff == null) {
            this.backoff = this.provider.get();
            return 0;
        }
        return this.backoff.nextBackoffNanos();
    }

    /** The delay before listing again after a failed list or watch start. */
    long afterFailure() {
        if (this.backoff == null) {
            this.backoff = this.provider.get();
        }
        return this.backoff.nextBackoffNanos();
    }

    /** Runs {@code relist} after {@code delayNanos}, replacing a pending run. */
    void schedule(Runnable relist, long delayNanos) {
        cancel();
        this.timer = this.timers.schedule(() -> {
            this.timer = null;
            relist.run();
        }, delayNanos);
    }

    /** Runs {@code relist} at once when {@code delayNanos} is 0, else {@linkplain #schedule after it}. */
    void runAfter(Runnable relist, long delayNanos) {
        if (delayNanos == 0) {
            relist.run();
        }
        else {
            schedule(relist, delayNanos);
        }
    }

    void cancel() {
        if (this.timer != null) {
            this.timer.cancel();
            this.timer = null;
        }
    }
}
