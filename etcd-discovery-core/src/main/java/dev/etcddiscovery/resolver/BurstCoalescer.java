package dev.etcddiscovery.resolver;

/**
 * Decides whether a changed list of endpoints is handed out now or held back because changes keep coming faster
 * than subscribers take in lists: held back, it goes out once the time the last list took to hand out has passed,
 * with every change that came meanwhile.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context.
 */
final class BurstCoalescer {

    private long lastHandOutEndNanos;

    private long lastHandOutCostNanos;

    /** Whether the last change came sooner after the list before it than that list took to hand out. */
    private boolean lastChangeCameSoon;

    /**
     * Returns how long to hold back a change that came at {@code nowNanos}, 0 to hand it out now. It is held back
     * only if it and the change before it both came sooner after the last list than that list took to hand out:
     * two changes, so that a change after one list that was slow by accident (a GC pause) is not held up.
     * @param nowNanos {@link System#nanoTime()} when the change came
     * @param listHandedOut whether any list was handed out yet
     */
    long holdBackNanos(long nowNanos, boolean listHandedOut) {
        long sinceLast = nowNanos - this.lastHandOutEndNanos;
        boolean soon = listHandedOut && sinceLast < this.lastHandOutCostNanos;
        boolean keepsComingSoon = soon && this.lastChangeCameSoon;
        this.lastChangeCameSoon = soon;
        return keepsComingSoon ? this.lastHandOutCostNanos - sinceLast : 0;
    }

    /** Records that a list was handed out between {@code startNanos} and {@code endNanos}. */
    void handedOut(long startNanos, long endNanos) {
        this.lastHandOutEndNanos = endNanos;
        this.lastHandOutCostNanos = endNanos - startNanos;
    }
}
