package dev.etcddiscovery.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code RESULT} lines of etcd's Go resolver anchor, e.g.
 * {@code RESULT prop.resolver  n=1000  p50=0.460ms p99=1.530ms max=2.1ms mean=0.5ms}, and its Go heap.
 */
final class GoResults {

    private static final Pattern LATENCY = Pattern.compile(
            "^RESULT\\s+(\\S+)\\s+n=(\\d+)\\s+p50=([0-9.]+)ms\\s+p99=([0-9.]+)ms\\s+max=([0-9.]+)ms.*$");

    private static final Pattern GO_HEAP = Pattern
        .compile("^RESULT\\s+scale(\\d+)\\.VmRSS\\s.*GoHeapAlloc=([0-9.]+)MiB");

    private final Map<String, Latency> latencies = new HashMap<>();

    /** The Go heap after the first full update, by the endpoint count of the scale step. */
    private final Map<Integer, Double> goHeapMib = new HashMap<>();

    private GoResults() {
    }

    static GoResults parse(String output) {
        GoResults results = new GoResults();
        output.lines().forEach((line) -> {
            Matcher latency = LATENCY.matcher(line);
            if (latency.matches()) {
                results.latencies.put(latency.group(1), new Latency(Integer.parseInt(latency.group(2)),
                        millisToNanos(latency.group(3)), millisToNanos(latency.group(4)),
                        millisToNanos(latency.group(5))));
            }
            Matcher heap = GO_HEAP.matcher(line);
            if (heap.find()) {
                results.goHeapMib.put(Integer.valueOf(heap.group(1)), Double.valueOf(heap.group(2)));
            }
        });
        return results;
    }

    /** Merges the results of two anchor steps (prop and scale, or scale steps of other counts). */
    GoResults and(GoResults other) {
        GoResults merged = new GoResults();
        merged.latencies.putAll(this.latencies);
        merged.latencies.putAll(other.latencies);
        merged.goHeapMib.putAll(this.goHeapMib);
        merged.goHeapMib.putAll(other.goHeapMib);
        return merged;
    }

    Optional<Latency> latency(String name) {
        return Optional.ofNullable(this.latencies.get(name));
    }

    /** The Go heap in use after the first full update of the scale step with {@code endpoints}. */
    Optional<Double> goHeapMib(int endpoints) {
        return Optional.ofNullable(this.goHeapMib.get(endpoints));
    }

    private static long millisToNanos(String millis) {
        return Math.round(Double.parseDouble(millis) * 1_000_000);
    }

    /** One measured series of the anchor, in nanoseconds. */
    record Latency(int samples, long p50, long p99, long max) {
    }
}
