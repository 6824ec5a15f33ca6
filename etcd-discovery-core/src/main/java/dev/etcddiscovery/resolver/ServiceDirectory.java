package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.etcddiscovery.internal.EtcdStatusProbe;
import dev.etcddiscovery.internal.RetryBackoff;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.grpc.EquivalentAddressGroup;
import io.grpc.internal.GrpcUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services that channels resolve from etcd: one {@link PrefixWatch} per service prefix, shared by every channel
 * that targets the service and closed when the last of them shuts down. Offers a {@link #snapshots() snapshot} of
 * each watch for health and metrics. Closing it stops every watch, its timer thread and its host lookup threads;
 * the jetcd {@link Client} and the watch source stay open.
 *
 * <pre>{@code
 * ServiceDirectory directory = ServiceDirectory.builder(client).build();
 * }</pre>
 */
public class ServiceDirectory implements AutoCloseable {

    /**
     * Ten seconds, the default registration TTL: a live server learns within one TTL that its lease is gone and
     * registers again (later when etcd is still coming back, by up to its retry backoff). Set the grace period to
     * the TTL your servers use when it is another.
     */
    public static final Duration DEFAULT_NEW_CLUSTER_GRACE_PERIOD = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(ServiceDirectory.class);

    private final PrefixWatchSettings settings;

    private final ScheduledThreadPoolExecutor scheduler;

    private final ThreadPoolExecutor lookupPool;

    private final Map<String, Shared> watches = new HashMap<>();

    private boolean closed;

    private ServiceDirectory(Builder builder) {
        if (builder.watchCheckInterval.isNegative() || builder.watchCheckInterval.isZero()) {
            throw new IllegalArgumentException(
                    "watchCheckInterval must be positive, was " + builder.watchCheckInterval);
        }
        if (builder.newClusterGracePeriod.isNegative()) {
            throw new IllegalArgumentException(
                    "newClusterGracePeriod must not be negative, was " + builder.newClusterGracePeriod);
        }
        EndpointParser parser = new EndpointParser(builder.defaultPort);
        this.scheduler = new ScheduledThreadPoolExecutor(1, GrpcUtil.getThreadFactory("etcd-resolver-timer", true));
        this.scheduler.setRemoveOnCancelPolicy(true);
        // lookups block in the system resolver; two threads, so that one slow name does not hold up every other
        this.lookupPool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                GrpcUtil.getThreadFactory("etcd-resolver-lookup-%d", true));
        this.lookupPool.allowCoreThreadTimeOut(true);
        Watch watchSource = (builder.watchSource != null) ? builder.watchSource : builder.client.getWatchClient();
        this.settings = new PrefixWatchSettings(builder.client.getKVClient(), watchSource, parser,
                builder.allowedNetworks, builder.hostResolver,
                this.lookupPool, this.scheduler, RetryBackoff.capped(builder.maxRetryBackoff), builder.requestTimeout,
                builder.watchCheckInterval, EtcdStatusProbe.forClient(builder.client, builder.watchCheckInterval),
                builder.newClusterGracePeriod);
    }

    /** A directory that lists with {@code client} and, unless told otherwise, watches with its watch client. */
    public static Builder builder(Client client) {
        return new Builder(client);
    }

    /** The watch of {@code prefix}, started if no channel follows it yet. */
    synchronized PrefixWatch acquire(String prefix) {
        if (this.closed) {
            throw new IllegalStateException("etcd resolver is shut down; cannot follow '" + prefix + "'");
        }
        Shared shared = this.watches.computeIfAbsent(prefix, (key) -> {
            PrefixWatch watch = new PrefixWatch(key, this.settings);
            watch.start();
            return new Shared(watch);
        });
        shared.users++;
        return shared.watch;
    }

    /** Gives back a watch obtained from {@link #acquire}; the last user closes it. */
    synchronized void release(PrefixWatch watch) {
        Shared shared = this.watches.get(watch.prefix());
        if (shared == null || shared.watch != watch) {
            return;
        }
        if (--shared.users == 0) {
            this.watches.remove(watch.prefix());
            watch.close();
        }
    }

    /**
     * Follows {@code prefix} through its shared watch, started if nothing follows it yet: the returned handle keeps
     * the endpoints last listed, and {@code listener} is told of every list after the first, on the watch's thread.
     * Close the handle to give the watch back.
     */
    public FollowedPrefix follow(String prefix, Consumer<List<EquivalentAddressGroup>> listener) {
        FollowedPrefix followed = new FollowedPrefix(this, acquire(prefix), listener);
        followed.start();
        return followed;
    }

    /** The state of every watched prefix. */
    public synchronized List<WatchSnapshot> snapshots() {
        return this.watches.values().stream().map((shared) -> shared.watch.snapshot()).toList();
    }

    @Override
    public void close() {
        List<PrefixWatch> open;
        synchronized (this) {
            this.closed = true;
            open = this.watches.values().stream().map((shared) -> shared.watch).toList();
            this.watches.clear();
        }
        // each watch is marked closed at once, so a list that completes meanwhile starts no watch and no timer on
        // the scheduler shut down below (it may be completing on this very thread, in a subscriber that closes us)
        open.forEach(PrefixWatch::close);
        this.scheduler.shutdownNow();
        this.lookupPool.shutdownNow();
        logger.info("etcd resolver stopped ({} watches closed)", open.size());
    }

    private static final class Shared {

        private final PrefixWatch watch;

        private int users;

        Shared(PrefixWatch watch) {
            this.watch = watch;
        }
    }

    /** Settings of a {@link ServiceDirectory}; every one has a default. */
    public static final class Builder {

        private final Client client;

        private Watch watchSource;

        private Integer defaultPort;

        private HostResolver hostResolver = HostResolver.SYSTEM;

        private AllowedNetworks allowedNetworks = AllowedNetworks.ANY;

        private Duration requestTimeout = Duration.ofSeconds(5);

        private Duration watchCheckInterval = Duration.ofSeconds(30);

        private Duration newClusterGracePeriod = DEFAULT_NEW_CLUSTER_GRACE_PERIOD;

        private Duration maxRetryBackoff = RetryBackoff.DEFAULT_MAX;

        private Builder(Client client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Where prefixes are watched; default the client's watch client (one gRPC stream per watch in jetcd). */
        public Builder watchSource(Watch watchSource) {
            this.watchSource = Objects.requireNonNull(watchSource, "watchSource");
            return this;
        }

        /**
         * The port of an {@code Addr} without one (1 to 65535); default none, and such a value is skipped with a
         * warning.
         */
        public Builder defaultPort(Integer defaultPort) {
            this.defaultPort = defaultPort;
            return this;
        }

        /**
         * Where endpoints may point: a key whose address (a host name's looked-up addresses) is outside is left out
         * with one WARN; default {@link AllowedNetworks#ANY}.
         */
        public Builder allowedNetworks(AllowedNetworks allowedNetworks) {
            this.allowedNetworks = Objects.requireNonNull(allowedNetworks, "allowedNetworks");
            return this;
        }

        /** Looks up host names in {@code Addr}; default {@link HostResolver#SYSTEM}. */
        public Builder hostResolver(HostResolver hostResolver) {
            this.hostResolver = Objects.requireNonNull(hostResolver, "hostResolver");
            return this;
        }

        /** Deadline of one list request and of one host lookup; default 5 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * How often each watch must answer a progress request (or, behind etcd's gRPC proxy, which answers none, etcd
         * a status request through the client's connection); default 30 s.
         */
        public Builder watchCheckInterval(Duration watchCheckInterval) {
            this.watchCheckInterval = Objects.requireNonNull(watchCheckInterval, "watchCheckInterval");
            return this;
        }

        /**
         * How long a prefix that a new or restored etcd cluster lists empty keeps its previous endpoints, unless a
         * change brings endpoints first; zero to follow such a cluster at once. Default
         * {@link #DEFAULT_NEW_CLUSTER_GRACE_PERIOD}.
         */
        public Builder newClusterGracePeriod(Duration newClusterGracePeriod) {
            this.newClusterGracePeriod = Objects.requireNonNull(newClusterGracePeriod, "newClusterGracePeriod");
            return this;
        }

        /** Longest wait between two lists while etcd is unreachable, and between two lookups of a host name. */
        public Builder maxRetryBackoff(Duration maxRetryBackoff) {
            this.maxRetryBackoff = Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
            return this;
        }

        public ServiceDirectory build() {
            return new ServiceDirectory(this);
        }
    }
}
