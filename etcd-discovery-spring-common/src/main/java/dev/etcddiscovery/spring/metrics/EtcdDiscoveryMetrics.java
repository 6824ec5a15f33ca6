package dev.etcddiscovery.spring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.etcddiscovery.registration.RegistrationSnapshot;
import dev.etcddiscovery.registration.RegistrationState;
import dev.etcddiscovery.registration.RegistrationStatus;
import dev.etcddiscovery.resolver.WatchSnapshot;
import io.grpc.internal.GrpcUtil;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters of the resolved targets (tag {@code target}, the watched prefix) and of this instance's
 * registrations (tag {@code key}). Targets and registrations come and go while the application runs (a channel
 * opened later, a server restarted), so the meters are brought in line with them on {@link #refresh()}, which runs
 * at bind time and then every refresh interval: meters of new ones are registered, those of closed ones removed.
 * Meter values are read from fresh snapshots whenever a registry asks.
 */
public class EtcdDiscoveryMetrics implements MeterBinder, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(EtcdDiscoveryMetrics.class);

    private final Supplier<List<WatchSnapshot>> targets;

    private final Supplier<List<RegistrationSnapshot>> registrations;

    private final Duration refreshInterval;

    private final ScheduledThreadPoolExecutor scheduler;

    private final Map<MeterRegistry, BoundMeters> bound = new HashMap<>();

    /**
     * @param targets the resolved targets (an empty list without a resolver)
     * @param registrations this instance's registrations (an empty list without a registry)
     * @param refreshInterval how often meters are added for new targets and registrations and removed for gone ones
     */
    public EtcdDiscoveryMetrics(Supplier<List<WatchSnapshot>> targets,
            Supplier<List<RegistrationSnapshot>> registrations, Duration refreshInterval) {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException(
                    "etcd.discovery.metrics.refresh-interval must be positive, was " + refreshInterval);
        }
        this.targets = targets;
        this.registrations = registrations;
        this.refreshInterval = refreshInterval;
        this.scheduler = new ScheduledThreadPoolExecutor(1, GrpcUtil.getThreadFactory("etcd-metrics", true));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        boolean first;
        synchronized (this) {
            first = this.bound.isEmpty();
            this.bound.putIfAbsent(registry, new BoundMeters(registry));
        }
        refresh();
        if (first) {
            long millis = this.refreshInterval.toMillis();
            this.scheduler.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Registers meters for targets and registrations that have none yet, and removes those of closed ones. */
    public synchronized void refresh() {
        Set<String> prefixes = this.targets.get().stream().map(WatchSnapshot::prefix).collect(Collectors.toSet());
        Set<String> keys = this.registrations.get()
            .stream()
            .map(RegistrationSnapshot::key)
            .collect(Collectors.toSet());
        for (BoundMeters meters : this.bound.values()) {
            meters.sync(meters.targets, prefixes, this::targetMeters);
            meters.sync(meters.registrations, keys, this::registrationMeters);
        }
    }

    @Override
    public void close() {
        this.scheduler.shutdownNow();
    }

    private void refreshQuietly() {
        try {
            refresh();
        }
        catch (RuntimeException ex) {
            // A failed refresh must not cancel the schedule; the next one tries again.
            logger.warn("Could not refresh the etcd discovery meters: {}", ex.toString());
        }
    }

    private List<Meter> targetMeters(MeterRegistry registry, String prefix) {
        return List.of(
                Gauge.builder("etcd.discovery.resolver.endpoints", this, target(prefix, WatchSnapshot::endpointCount))
                    .tag("target", prefix)
                    .description("Usable endpoints currently known for the target")
                    .baseUnit("endpoints")
                    .register(registry),
                counter(registry, "etcd.discovery.resolver.watch.restarts", "target", prefix,
                        "Watches lost and replaced by a new list and watch",
                        target(prefix, WatchSnapshot::watchRestarts)),
                counter(registry, "etcd.discovery.resolver.relists", "target", prefix,
                        "Re-lists because the watched revision was compacted",
                        target(prefix, WatchSnapshot::compactionRelists)),
                counter(registry, "etcd.discovery.resolver.malformed.values", "target", prefix,
                        "Unusable values skipped, each bad value counted once",
                        target(prefix, WatchSnapshot::malformedValuesSkipped)),
                FunctionCounter
                    .builder("etcd.discovery.resolver.rejected", this,
                            target(prefix, WatchSnapshot::rejectedOutsideAllowedNetworks))
                    .tags("target", prefix, "reason", "outside-allowed-networks")
                    .description("Endpoints not handed to gRPC, once per key and address")
                    .register(registry));
    }

    private List<Meter> registrationMeters(MeterRegistry registry, String key) {
        return List.of(
                Gauge.builder("etcd.discovery.registration.state", this,
                        registration(key, (snapshot) -> (snapshot.state() == RegistrationState.REGISTERED) ? 1 : 0))
                    .tag("key", key)
                    .description("1 while a kept-alive lease is held, else 0")
                    .register(registry),
                Gauge.builder("etcd.discovery.registration.status", this,
                        registration(key, (snapshot) -> (snapshot.status() == RegistrationStatus.UP) ? 1 : 0))
                    .tag("key", key)
                    .description("1 while the status is UP, 0 while it is OUT_OF_SERVICE")
                    .register(registry),
                Gauge.builder("etcd.discovery.registration.advertised", this,
                        registration(key, (snapshot) -> snapshot.advertised() ? 1 : 0))
                    .tag("key", key)
                    .description("1 while the key is in etcd (lease held, status UP, application ready), else 0")
                    .register(registry),
                counter(registry, "etcd.discovery.registration.lease.regrants", "key", key,
                        "New leases granted after the previous one was lost",
                        registration(key, RegistrationSnapshot::leaseRegrants)),
                counter(registry, "etcd.discovery.registration.keepalive.failures", "key", key,
                        "Keepalives that failed, ended or went silent for a whole TTL",
                        registration(key, RegistrationSnapshot::keepAliveFailures)));
    }

    private Meter counter(MeterRegistry registry, String name, String tag, String tagValue, String description,
            ToDoubleFunction<EtcdDiscoveryMetrics> value) {
        return FunctionCounter.builder(name, this, value)
            .tag(tag, tagValue)
            .description(description)
            .register(registry);
    }

    /** Reads one value of a target's current snapshot; NaN once the target is gone (until its meters are removed). */
    private ToDoubleFunction<EtcdDiscoveryMetrics> target(String prefix, ToDoubleFunction<WatchSnapshot> value) {
        return (metrics) -> metrics.targets.get()
            .stream()
            .filter((snapshot) -> snapshot.prefix().equals(prefix))
            .findFirst()
            .map(value::applyAsDouble)
            .orElse(Double.NaN);
    }

    private ToDoubleFunction<EtcdDiscoveryMetrics> registration(String key,
            ToDoubleFunction<RegistrationSnapshot> value) {
        return (metrics) -> metrics.registrations.get()
            .stream()
            .filter((snapshot) -> snapshot.key().equals(key))
            .findFirst()
            .map(value::applyAsDouble)
            .orElse(Double.NaN);
    }

    /** The meters registered in one registry, per target prefix and per registration key. */
    private static final class BoundMeters {

        private final MeterRegistry registry;

        private final Map<String, List<Meter>> targets = new HashMap<>();

        private final Map<String, List<Meter>> registrations = new HashMap<>();

        BoundMeters(MeterRegistry registry) {
            this.registry = registry;
        }

        void sync(Map<String, List<Meter>> meters, Set<String> current, MeterFactory factory) {
            for (String gone : new ArrayList<>(meters.keySet())) {
                if (!current.contains(gone)) {
                    meters.remove(gone).forEach(this.registry::remove);
                }
            }
            for (String name : current) {
                meters.computeIfAbsent(name, (key) -> factory.create(this.registry, key));
            }
        }
    }

    @FunctionalInterface
    private interface MeterFactory {

        List<Meter> create(MeterRegistry registry, String tagValue);
    }
}
