package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The moment the first value matching a condition arrives: armed before an action, offered every value a callback
 * sees, awaited afterwards. The time is taken in the callback, so waking the waiting thread is not measured.
 */
final class Expectation<T> {

    private final Predicate<T> condition;

    private final CountDownLatch met = new CountDownLatch(1);

    private volatile long nanos;

    private volatile T value;

    Expectation(Predicate<T> condition) {
        this.condition = condition;
    }

    static <T> Expectation<T> any() {
        return new Expectation<>((value) -> true);
    }

    /** Records {@code now} if {@code value} is the first to match. */
    void offer(T value, long now) {
        if (this.met.getCount() > 0 && this.condition.test(value)) {
            this.nanos = now;
            this.value = value;
            this.met.countDown();
        }
    }

    /** The {@link System#nanoTime()} at which a matching value arrived. */
    long await(Duration timeout, String what) {
        try {
            if (!this.met.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for " + what, ex);
        }
        return this.nanos;
    }

    /** The value that matched, once {@link #await awaited}. */
    T value() {
        return this.value;
    }
}
