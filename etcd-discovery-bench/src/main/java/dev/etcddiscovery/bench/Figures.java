package dev.etcddiscovery.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Results one benchmark leaves for a later table (the comparison with etcd's Go resolver), by name. */
final class Figures {

    static final String RAW_WATCH = "propagation.raw-watch";

    static final String RAW_WATCH_COLD = "propagation.raw-watch.cold";

    static final String GROWING_RESOLVER = "propagation.growing.resolver";

    static final String GROWING_RESOLVER_COLD = "propagation.growing.resolver.cold";

    static final String GROWING_OVER_WATCH = "propagation.growing.resolver-over-own-client-watch";

    // the large-service figures are per endpoint count: see large(String, int)
    static final String LARGE_FIRST_UPDATE = "large.first-update";

    static final String LARGE_FIRST_UPDATE_COLD = "large.first-update.cold";

    static final String LARGE_CHANGE = "large.change";

    static final String LARGE_RETAINED_BYTES = "large.retained-bytes";

    private final Map<String, Samples> series = new HashMap<>();

    private final Map<String, Long> values = new HashMap<>();

    /** The name of a large-service figure ({@code LARGE_*}) for a service of {@code endpoints}. */
    static String large(String figure, int endpoints) {
        return figure + "." + endpoints;
    }

    void put(String name, Samples samples) {
        this.series.put(name, samples);
    }

    void put(String name, long value) {
        this.values.put(name, value);
    }

    Optional<Samples> series(String name) {
        return Optional.ofNullable(this.series.get(name));
    }

    Optional<Long> value(String name) {
        return Optional.ofNullable(this.values.get(name));
    }
}
