package dev.etcddiscovery.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.etcddiscovery.internal.EndpointValueWriter;
import dev.etcddiscovery.internal.EtcdStatusProbe;
import dev.etcddiscovery.internal.RetryBackoff;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.grpc.internal.BackoffPolicy;
import io.grpc.internal.GrpcUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers gRPC endpoints in etcd, the Java counterpart of etcd's {@code GRPCResolver.Update(Add/Delete)}: each
 * registered endpoint is a key {@code <namespace><service>/<address>} with the value
 * {@code {"Op":0,"Addr":...,"Metadata":...}}, kept under a lease until its handle is closed. Lost leases are
 * replaced and deleted keys put back, with backoff, for as long as the handle is open.
 * <p>
 * A key is in etcd only while its registration is {@link RegistrationStatus#UP} and the application is
 * {@linkplain #setReady(boolean) ready}: either one alone takes it out of rotation, while the lease stays alive.
 */
public class EtcdServiceRegistry implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(EtcdServiceRegistry.class);

    private final Client client;

    private final Watch keyWatchSource;

    private final String namespace;

    private final Duration requestTimeout;

    private final Duration defaultTtl;

    private final EndpointValueWriter valueWriter = new EndpointValueWriter();

    private final BackoffPolicy.Provider backoffProvider;

    private final ScheduledThreadPoolExecutor executor;

    private final Set<LeasedEndpoint> active = ConcurrentHashMap.newKeySet();

    private RegistrationStatus status = RegistrationStatus.UP;

    private boolean ready = true;

    private EtcdServiceRegistry(Builder builder) {
        this.backoffProvider = RetryBackoff.capped(builder.maxRetryBackoff);
        this.client = builder.client;
        this.keyWatchSource = (builder.keyWatchSource != null) ? builder.keyWatchSource
                : builder.client.getWatchClient();
        this.namespace = builder.namespace;
        this.requestTimeout = builder.requestTimeout;
        this.defaultTtl = builder.defaultTtl;
        this.executor = new ScheduledThreadPoolExecutor(1, GrpcUtil.getThreadFactory("etcd-registration", true));
        this.executor.setRemoveOnCancelPolicy(true);
        // After close, late jetcd callbacks have nothing left to do.
        this.executor.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
    }

    /** A registry that registers with {@code client} and, unless told otherwise, watches keys with its watch client. */
    public static Builder builder(Client client) {
        return new Builder(client);
    }

    /**
     * Registers {@code addr} as an endpoint of {@code service} under a lease with the default TTL, like
     * {@code GRPCResolver.Update(ctx, service, naming.Update{Op: naming.Add, Addr: addr, Metadata: metadata})}.
     * Returns at once; the registration happens, and is retried, in the background.
     * @param metadata null, a map (written as a JSON object), a string, or any value Jackson can write
     */
    public RegistrationHandle register(String service, String addr, Object metadata) {
        return register(new EndpointRegistration(service, addr, metadata, this.defaultTtl));
    }

    /** Registers an endpoint under a lease; see {@link #register(String, String, Object)}. */
    public synchronized RegistrationHandle register(EndpointRegistration registration) {
        if (this.executor.isShutdown()) {
            throw new IllegalStateException("EtcdServiceRegistry is closed; cannot register " + registration);
        }
        String key = registration.key(this.namespace);
        byte[] value = this.valueWriter.write(registration.address(), registration.metadata());
        // a probe bounded by the TTL, the interval of the checks of the key's watch: each check sends its own
        Duration ttl = Duration.ofSeconds(registration.ttlSeconds());
        Duration probeDeadline = (this.requestTimeout.compareTo(ttl) < 0) ? this.requestTimeout : ttl;
        KeySettings settings = new KeySettings(this.client, this.keyWatchSource, key, value,
                registration.ttlSeconds(), this.requestTimeout, this.executor, this.backoffProvider,
                EtcdStatusProbe.forClient(this.client, probeDeadline));
        LeasedEndpoint endpoint = new LeasedEndpoint(settings, this.status, this.ready, this.active::remove);
        this.active.add(endpoint);
        endpoint.start();
        return endpoint;
    }

    /**
     * Deletes the endpoint {@code addr} of {@code service}, like {@code naming.Update{Op: naming.Delete}}; an
     * endpoint registered by this registry is deregistered (its lease revoked) so that it is not put back.
     * @throws IllegalStateException when etcd did not confirm within the request timeout
     */
    public void delete(String service, String addr) {
        String key = new EndpointRegistration(service, addr, null, this.defaultTtl).key(this.namespace);
        for (LeasedEndpoint endpoint : this.active) {
            if (endpoint.key().equals(key)) {
                endpoint.close();
            }
        }
        try {
            this.client.getKVClient()
                .delete(ByteSequence.from(key, StandardCharsets.UTF_8))
                .get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deleting " + key + " from etcd", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not delete " + key + " from etcd within " + this.requestTimeout,
                    ex);
        }
        logger.info("Deleted {} from etcd", key);
    }

    /**
     * Sets the status of every open registration and of those registered later: {@link RegistrationStatus#OUT_OF_SERVICE}
     * deletes their keys and keeps their leases, {@link RegistrationStatus#UP} puts the keys back. Returns at once.
     */
    public synchronized void setStatus(RegistrationStatus status) {
        Objects.requireNonNull(status, "status must not be null");
        if (status != this.status) {
            logger.info("Registrations set {}", status);
        }
        this.status = status;
        this.active.forEach((endpoint) -> endpoint.setStatus(status));
    }

    /** The status set last with {@link #setStatus(RegistrationStatus)}, {@link RegistrationStatus#UP} at first. */
    public synchronized RegistrationStatus status() {
        return this.status;
    }

    /**
     * Tells whether the application accepts traffic, e.g. from Spring Boot's readiness state: while it does not,
     * no key of this registry is in etcd (the leases stay alive). Ready at first.
     */
    public synchronized void setReady(boolean ready) {
        this.ready = ready;
        this.active.forEach((endpoint) -> endpoint.setReady(ready));
    }

    /** A snapshot of every open registration. */
    public List<RegistrationSnapshot> registrations() {
        return this.active.stream().map(LeasedEndpoint::snapshot).toList();
    }

    /**
     * Deregisters every open registration, waiting at most the request timeout for etcd, then stops the
     * registry's thread.
     */
    @Override
    public void close() {
        CompletableFuture<?>[] closing = this.active.stream()
            .map(LeasedEndpoint::closeAsync)
            .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("Not every etcd registration was revoked within {}; their keys expire with their leases",
                    this.requestTimeout);
        }
        this.executor.shutdownNow();
        // a close whose task the executor never ran must still complete
        this.active.forEach(LeasedEndpoint::abandon);
    }

    /** Settings of an {@link EtcdServiceRegistry}; every one has a default. */
    public static final class Builder {

        private final Client client;

        private Watch keyWatchSource;

        private String namespace = "";

        private Duration requestTimeout = Duration.ofSeconds(5);

        private Duration defaultTtl = Duration.ofSeconds(10);

        private Duration maxRetryBackoff = RetryBackoff.DEFAULT_MAX;

        private Builder(Client client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * Where each registration's watch of its own key comes from, e.g. a watch that shares one stream among many
         * watchers; default the client's watch client.
         */
        public Builder keyWatchSource(Watch keyWatchSource) {
            this.keyWatchSource = Objects.requireNonNull(keyWatchSource, "keyWatchSource");
            return this;
        }

        /** Prefix put before every service name; default empty. */
        public Builder namespace(String namespace) {
            this.namespace = (namespace != null) ? namespace : "";
            return this;
        }

        /** Bound of every etcd request; default 5 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** Lease TTL of {@link EtcdServiceRegistry#register(String, String, Object)}; default 10 s. */
        public Builder defaultTtl(Duration defaultTtl) {
            this.defaultTtl = Objects.requireNonNull(defaultTtl, "defaultTtl");
            return this;
        }

        /** Longest wait between two attempts to register while etcd is unreachable; default 5 s. */
        public Builder maxRetryBackoff(Duration maxRetryBackoff) {
            this.maxRetryBackoff = Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
            return this;
        }

        public EtcdServiceRegistry build() {
            return new EtcdServiceRegistry(this);
        }
    }
}
