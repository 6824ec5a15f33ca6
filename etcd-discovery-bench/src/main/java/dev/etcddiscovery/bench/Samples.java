package dev.etcddiscovery.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latencies in nanoseconds, summarised by sorting: exact percentiles (nearest rank), no histogram buckets.
 */
final class Samples {

    private long[] values = new long[64];

    private int size;

    void add(long nanos) {
        if (this.size == this.values.length) {
            this.values = Arrays.copyOf(this.values, this.size * 2);
        }
        this.values[this.size++] = nanos;
    }

    int size() {
        return this.size;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]. */
    long percentile(double p) {
        if (this.size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(this.values, this.size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * this.size);
        return sorted[Math.max(0, Math.min(this.size, rank) - 1)];
    }

    long max() {
        return percentile(100);
    }

    long mean() {
        long sum = 0;
        for (int i = 0; i < this.size; i++) {
            sum += this.values[i];
        }
        return sum / this.size;
    }

    /** Sample-by-sample difference {@code this[i] - other[i]}: both must hold the same events in the same order. */
    Samples minus(Samples other) {
        if (other.size != this.size) {
            throw new IllegalArgumentException("sample counts differ: " + this.size + " vs " + other.size);
        }
        Samples difference = new Samples();
        for (int i = 0; i < this.size; i++) {
            difference.add(this.values[i] - other.values[i]);
        }
        return difference;
    }

    /** Every sample minus {@code nanos}. */
    Samples minus(long nanos) {
        Samples shifted = new Samples();
        for (int i = 0; i < this.size; i++) {
            shifted.add(this.values[i] - nanos);
        }
        return shifted;
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }
}
