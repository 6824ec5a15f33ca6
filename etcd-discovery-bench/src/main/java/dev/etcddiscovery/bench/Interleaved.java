package dev.etcddiscovery.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Measures variants of one change the same way: they take turns in blocks (variant A for a block of changes, then B,
 * then A again ...), first through the warm-up, then through the measured changes, so that JIT, GC and the
 * machine's load reach every variant alike. Each variant times several series (put → watch, put → resolver, ...).
 * The first changes of each variant are kept as the cold numbers; measured changes during which a garbage
 * collection happened are counted, and every series is also summarised without them.
 */
final class Interleaved {

    private final Map<String, Samples> cold = new LinkedHashMap<>();

    private final Map<String, Samples> warm = new LinkedHashMap<>();

    private final Map<String, Samples> warmWithoutGc = new LinkedHashMap<>();

    private final List<JitCompilations.Summary> compilationsPerRound = new ArrayList<>();

    private JitCompilations.Summary compilationsMeasured;

    private String gcPauses;

    private long coldFromMillis = -1;

    private long coldToMillis;

    private Interleaved() {
    }

    /** One change of a variant, returning the nanoseconds of each of its series, in a stable order. */
    @FunctionalInterface
    interface Variant {

        Map<String, Long> change();
    }

    static Interleaved run(List<Variant> variants, Settings.Warmup warmup, int measured) {
        Interleaved run = new Interleaved();
        // the warm-up records as the measurement does, so that the bench's own code is compiled before it too
        Interleaved discarded = new Interleaved();
        try (JitCompilations jit = JitCompilations.watch()) {
            List<Instant> rounds = new ArrayList<>(List.of(Instant.now()));
            int[] done = new int[variants.size()];
            while (done[0] < warmup.changes()) {
                round(variants, warmup.block(), done, warmup.changes(), (changes, times, duringGc) -> {
                    discarded.record(times, duringGc);
                    if (changes < warmup.cold()) {
                        run.recordCold(times);
                    }
                });
                rounds.add(Instant.now());
            }
            try (GcPauses pauses = GcPauses.watch()) {
                int[] measuredDone = new int[variants.size()];
                while (measuredDone[0] < measured) {
                    round(variants, warmup.block(), measuredDone, measured,
                            (changes, times, duringGc) -> run.record(times, duringGc));
                }
                run.gcPauses = pauses.describe();
            }
            rounds.add(Instant.now());
            List<JitCompilations.Summary> periods = jit.between(rounds);
            run.compilationsPerRound.addAll(periods.subList(0, periods.size() - 1));
            run.compilationsMeasured = periods.get(periods.size() - 1);
        }
        return run;
    }

    /** A block of changes of every variant in turn, up to {@code limit} changes of each. */
    private static void round(List<Variant> variants, int block, int[] done, int limit, Recorder recorder) {
        for (int v = 0; v < variants.size(); v++) {
            for (int i = 0; i < block && done[v] < limit; i++, done[v]++) {
                long collections = GcPauses.collections();
                Map<String, Long> times = variants.get(v).change();
                recorder.record(done[v], times, GcPauses.collections() != collections);
            }
        }
    }

    /** The warm samples of {@code series}: every measured change. */
    Samples warm(String series) {
        return this.warm.get(series);
    }

    /** The warm samples of {@code series} without the changes during which a garbage collection happened. */
    Samples warmWithoutGc(String series) {
        return this.warmWithoutGc.get(series);
    }

    /** The first changes of each variant, made while the JVM was fresh. */
    Samples cold(String series) {
        return this.cold.get(series);
    }

    List<String> series() {
        return List.copyOf(this.warm.keySet());
    }

    /**
     * The JIT's work in each warm-up round (a block of every variant) and during the measured changes, e.g.
     * "methods compiled per warm-up round of 3 × 250 changes: 2310, 870, ..., 4; during the 3 × 1000 measured
     * changes: 6 (0.1 s of compile time)".
     */
    String jit() {
        String lastRound = this.compilationsPerRound.isEmpty() ? "no warm-up"
                : "compile time of the last round "
                        + seconds(this.compilationsPerRound.get(this.compilationsPerRound.size() - 1).nanos());
        return "methods compiled per warm-up round: " + this.compilationsPerRound.stream()
            .map((round) -> String.valueOf(round.count()))
            .collect(Collectors.joining(", ")) + " (" + lastRound + "); during the measured changes: "
                + this.compilationsMeasured.count() + " (" + seconds(this.compilationsMeasured.nanos()) + ")";
    }

    /** The collections during the measured changes. */
    String gcPauses() {
        return this.gcPauses;
    }

    /** The JVM's uptime in seconds when the cold changes began and ended, e.g. "1.8–4.2 s". */
    String coldWindow() {
        return String.format(Locale.ROOT, "%.1f–%.1f s", this.coldFromMillis / 1000.0, this.coldToMillis / 1000.0);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** Where a change's times go: {@code changes} of its variant were made before it. */
    @FunctionalInterface
    private interface Recorder {

        void record(int changes, Map<String, Long> times, boolean duringGc);
    }

    private void recordCold(Map<String, Long> times) {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        if (this.coldFromMillis < 0) {
            this.coldFromMillis = uptime;
        }
        this.coldToMillis = uptime;
        times.forEach((series, nanos) -> this.cold.computeIfAbsent(series, (name) -> new Samples()).add(nanos));
    }

    private void record(Map<String, Long> times, boolean duringGc) {
        times.forEach((series, nanos) -> {
            this.warm.computeIfAbsent(series, (name) -> new Samples()).add(nanos);
            Samples withoutGc = this.warmWithoutGc.computeIfAbsent(series, (name) -> new Samples());
            if (!duringGc) {
                withoutGc.add(nanos);
            }
        });
    }
}
