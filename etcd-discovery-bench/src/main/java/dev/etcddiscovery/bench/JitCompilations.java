package dev.etcddiscovery.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;

/**
 * The JIT compilations of this JVM while open, from JFR's {@code jdk.Compilation} events (one per compiled method,
 * as {@code -XX:+PrintCompilation} prints them): how many started in a period, and how long they took. JFR's own
 * classes, compiled as its event stream is parsed, are left out.
 */
final class JitCompilations implements AutoCloseable {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private final RecordingStream stream = new RecordingStream();

    private final List<Compilation> compilations = new CopyOnWriteArrayList<>();

    private volatile Instant deliveredUpTo = Instant.MIN;

    private JitCompilations() {
        this.stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
        this.stream.onEvent("jdk.Compilation", this::onCompilation);
        // each flush delivers every event recorded before it
        this.stream.onFlush(() -> this.deliveredUpTo = Instant.now());
        this.stream.startAsync();
    }

    static JitCompilations watch() {
        return new JitCompilations();
    }

    /**
     * The compilations that started in each period between consecutive {@code boundaries} (n boundaries, n - 1
     * periods), once JFR has delivered everything up to the last one.
     */
    List<Summary> between(List<Instant> boundaries) {
        Instant last = boundaries.get(boundaries.size() - 1);
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (!this.deliveredUpTo.isAfter(last) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        List<Summary> periods = new ArrayList<>();
        for (int i = 1; i < boundaries.size(); i++) {
            Instant from = boundaries.get(i - 1);
            Instant to = boundaries.get(i);
            long count = 0;
            long nanos = 0;
            for (Compilation compilation : this.compilations) {
                if (!compilation.start().isBefore(from) && compilation.start().isBefore(to)) {
                    count++;
                    nanos += compilation.nanos();
                }
            }
            periods.add(new Summary(count, nanos));
        }
        return periods;
    }

    @Override
    public void close() {
        this.stream.close();
    }

    private void onCompilation(RecordedEvent event) {
        RecordedMethod method = event.getValue("method");
        if (method == null || !method.getType().getName().startsWith("jdk.jfr.")) {
            this.compilations.add(new Compilation(event.getStartTime(), event.getDuration().toNanos()));
        }
    }

    private record Compilation(Instant start, long nanos) {
    }

    /** Methods compiled in a period, and the compile time they took (on the compiler threads). */
    record Summary(long count, long nanos) {
    }
}
