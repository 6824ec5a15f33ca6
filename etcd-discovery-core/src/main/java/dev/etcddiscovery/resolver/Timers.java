package dev.etcddiscovery.resolver;

import io.grpc.SynchronizationContext.ScheduledHandle;

/** Schedules work on a {@link PrefixWatch}'s synchronization context. */
@FunctionalInterface
interface Timers {

    /** Runs {@code task} after {@code delayNanos}; returns null when the watch is closing (the task never runs). */
    ScheduledHandle schedule(Runnable task, long delayNanos);
}
