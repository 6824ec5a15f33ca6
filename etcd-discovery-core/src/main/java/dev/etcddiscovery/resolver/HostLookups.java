package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.etcddiscovery.internal.EtcdFailures;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.internal.BackoffPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up the host names of one prefix's endpoints on the resolver's lookup pool, never on the thread that
 * delivered the etcd answer (jetcd's event loop, which also carries the app's lease keep-alives). A lookup that
 * fails or does not answer within the timeout is tried again with backoff until the name resolves or its key
 * changes; the endpoint is used as soon as it resolves. Each key that does not resolve is reported with one WARN.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context, where answers arrive too.
 */
final class HostLookups implements EndpointTable.HostLookup {

    /** Receives the addresses of a host, on the watch's synchronization context. */
    interface Answers {

        void resolved(String key, String host, List<InetAddress> addresses);
    }

    private static final Logger logger = LoggerFactory.getLogger(HostLookups.class);

    private final HostResolver resolver;

    private final Executor pool;

    private final Duration timeout;

    private final BackoffPolicy.Provider backoffProvider;

    private final SynchronizationContext syncContext;

    private final Timers timers;

    private final Answers answers;

    private final Map<String, Lookup> lookups = new HashMap<>();

    HostLookups(HostResolver resolver, Executor pool, Duration timeout, BackoffPolicy.Provider backoffProvider,
            SynchronizationContext syncContext, Timers timers, Answers answers) {
        this.resolver = resolver;
        this.pool = pool;
        this.timeout = timeout;
        this.backoffProvider = backoffProvider;
        this.syncContext = syncContext;
        this.timers = timers;
        this.answers = answers;
    }

    @Override
    public void lookUp(String key, String host) {
        Lookup running = this.lookups.get(key);
        if (running != null && running.host.equals(host)) {
            return;
        }
        cancel(key);
        Lookup lookup = new Lookup(key, host);
        this.lookups.put(key, lookup);
        attempt(lookup);
    }

    @Override
    public void cancel(String key) {
        Lookup lookup = this.lookups.remove(key);
        if (lookup != null) {
            lookup.cancelRetry();
        }
    }

    void cancelAll() {
        this.lookups.values().forEach(Lookup::cancelRetry);
        this.lookups.clear();
    }

    private void attempt(Lookup lookup) {
        if (lookup.call != null && !lookup.call.isDone()) {
            // the previous attempt is still blocked in the system resolver: wait for it rather than queue another
            retryLater(lookup, "it is still being looked up after " + this.timeout);
            return;
        }
        CompletableFuture<List<InetAddress>> answer = new CompletableFuture<>();
        try {
            lookup.call = CompletableFuture.runAsync(() -> {
                if (answer.isDone()) {
                    return;
                }
                try {
                    answer.complete(this.resolver.resolve(lookup.host));
                }
                catch (UnknownHostException | RuntimeException ex) {
                    answer.completeExceptionally(ex);
                }
            }, this.pool);
        }
        catch (RejectedExecutionException ex) {
            // the lookup pool is shut down: the watches are closing
            return;
        }
        answer.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((addresses, error) -> this.syncContext.execute(() -> answered(lookup, addresses, error)));
    }

    private void answered(Lookup lookup, List<InetAddress> addresses, Throwable error) {
        if (this.lookups.get(lookup.key) != lookup) {
            return;
        }
        if (error == null && !addresses.isEmpty()) {
            this.lookups.remove(lookup.key);
            if (lookup.warned) {
                logger.info("Host '{}' of etcd key '{}' resolves now; using it", lookup.host, lookup.key);
            }
            this.answers.resolved(lookup.key, lookup.host, addresses);
            return;
        }
        retryLater(lookup, (error != null) ? describe(EtcdFailures.unwrap(error)) : "it has no address");
    }

    private void retryLater(Lookup lookup, String reason) {
        if (lookup.backoff == null) {
            lookup.backoff = this.backoffProvider.get();
        }
        long delayNanos = lookup.backoff.nextBackoffNanos();
        if (!lookup.warned) {
            lookup.warned = true;
            logger.warn("Host '{}' of etcd key '{}' does not resolve ({}); leaving the endpoint out and looking the "
                    + "name up again with backoff until it resolves", lookup.host, lookup.key, reason);
        }
        else {
            logger.debug("Host '{}' of etcd key '{}' does not resolve yet ({}); next try in {} ms", lookup.host,
                    lookup.key, reason, TimeUnit.NANOSECONDS.toMillis(delayNanos));
        }
        lookup.retry = this.timers.schedule(() -> {
            lookup.retry = null;
            if (this.lookups.get(lookup.key) == lookup) {
                attempt(lookup);
            }
        }, delayNanos);
    }

    private String describe(Throwable error) {
        if (error instanceof TimeoutException) {
            return "no answer within " + this.timeout;
        }
        if (error instanceof UnknownHostException) {
            return "unknown host";
        }
        return (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
    }

    /** The lookups of one key's host, from its first attempt until it resolves or the key changes. */
    private static final class Lookup {

        private final String key;

        private final String host;

        /** The attempt on the lookup pool; it may outlive its timeout while the system resolver blocks. */
        private CompletableFuture<Void> call;

        private BackoffPolicy backoff;

        private ScheduledHandle retry;

        private boolean warned;

        Lookup(String key, String host) {
            this.key = key;
            this.host = host;
        }

        void cancelRetry() {
            if (this.retry != null) {
                this.retry.cancel();
                this.retry = null;
            }
        }
    }
}
