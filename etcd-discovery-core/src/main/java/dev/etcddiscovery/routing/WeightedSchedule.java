package dev.etcddiscovery.routing;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order in which a picker hands out its servers so that each gets calls in proportion to its weight, exactly:
 * over every cycle of the schedule a server of weight 3 is picked 3 times as often as one of weight 1, and picks of
 * one server are spread over the cycle rather than bunched (earliest deadline first: a server of weight w is due
 * every 1/w). Built once per picker; a pick is one atomic increment, so concurrent calls never wait for each other.
 * <p>
 * Weights are divided by their greatest common divisor first (100:300 is 1:3) and, should their sum still exceed
 * {@link #MAX_LENGTH}, scaled down to fit, every server keeping at least one slot.
 */
final class WeightedSchedule {

    /** Longest cycle: 64 Ki slots, 256 KiB per picker. */
    static final int MAX_LENGTH = 1 << 16;

    private final int[] slots;

    private final AtomicInteger sequence;

    /**
     * @param weights the weight (at least 1) of each server, by index
     * @param sequence where the picks start and go on; shared between a balancer's pickers so that a new picker
     * continues the rotation rather than starting over at the same server
     */
    WeightedSchedule(int[] weights, AtomicInteger sequence) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a schedule needs at least one server");
        }
        this.slots = slots(fit(weights));
        this.sequence = sequence;
    }

    /** The index of the server for the next call. */
    int next() {
        return this.slots[(this.sequence.getAndIncrement() & Integer.MAX_VALUE) % this.slots.length];
    }

    /** The length of one cycle: the sum of the (reduced) weights. */
    int length() {
        return this.slots.length;
    }

    private static int[] fit(int[] weights) {
        int divisor = 0;
        long sum = 0;
        for (int weight : weights) {
            if (weight < 1) {
                throw new IllegalArgumentException("weights must be at least 1, was " + weight);
            }
            divisor = gcd(divisor, weight);
        }
        int[] reduced = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / divisor;
            sum += reduced[i];
        }
        if (sum <= MAX_LENGTH) {
            return reduced;
        }
        // more servers than slots is impossible here: a weight of 1 each fits, as MAX_LENGTH exceeds any fleet
        double scale = (double) (MAX_LENGTH - weights.length) / sum;
        for (int i = 0; i < reduced.length; i++) {
            reduced[i] = 1 + (int) (reduced[i] * scale);
        }
        return reduced;
    }

    private static int[] slots(int[] weights) {
        int length = 0;
        for (int weight : weights) {
            length += weight;
        }
        // each server is due again 1/weight after its last pick; ties go to the lower index, so equal weights
        // give plain round robin (0, 1, 2, ...)
        PriorityQueue<double[]> due = new PriorityQueue<>(weights.length,
                (a, b) -> (a[0] != b[0]) ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        for (int i = 0; i < weights.length; i++) {
            due.add(new double[] { 1.0 / weights[i], i });
        }
        int[] slots = new int[length];
        for (int slot = 0; slot < length; slot++) {
            double[] next = due.poll();
            int index = (int) next[1];
            slots[slot] = index;
            next[0] += 1.0 / weights[index];
            due.add(next);
        }
        return slots;
    }

    private static int gcd(int a, int b) {
        return (b == 0) ? a : gcd(b, a % b);
    }
}
