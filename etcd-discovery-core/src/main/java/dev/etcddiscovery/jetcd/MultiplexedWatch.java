package dev.etcddiscovery.jetcd;

import java.util.ArrayList;
import java.util.List;

import com.google.common.util.concurrent.MoreExecutors;
import dev.etcddiscovery.internal.JetcdInternals;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.grpc.CallOptions;
import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.etcd.jetcd.common.exception.EtcdExceptionFactory.newClosedWatchClientException;

/**
 * A jetcd {@link Watch} that carries every watcher of a client on one etcd {@code Watch} stream, as etcd's Go client
 * does, and leaves nothing on etcd once a watcher is closed. jetcd 0.8.5 opens one stream per watcher and its
 * {@code close()} only half-closes it, so etcd keeps the stream, and a watcher closed before etcd confirmed it,
 * until the connection drops (etcd-io/jetcd#1510, fixed from jetcd 0.8.6, which needs Netty 4.2).
 * <p>
 * The stream runs on jetcd's own gRPC channel (TLS, every endpoint with failover, keep-alive, interceptors) with
 * jetcd's auth token, reached through {@link JetcdInternals}; KV, leases and auth stay with jetcd. The stream opens
 * with the first watcher and is cancelled (RST_STREAM) as soon as its last watcher is closed.
 * <p>
 * Differences from jetcd's watch, on purpose:
 * <ul>
 * <li>A watcher ends on the first error, with {@code onError} and nothing after it: when the stream fails (etcd
 * unreachable, member killed, no leader) every watcher on it gets {@code onError}, and the next {@link #watch} opens a
 * new stream, on another endpoint if this one is gone. jetcd instead re-creates a failed watcher itself after 500 ms
 * from its last revision. Callers re-watch (re-listing first, when they keep state).</li>
 * <li>The stream always asks for a leader, whatever {@link WatchOption#withRequireLeader()} says.</li>
 * </ul>
 * As in jetcd, {@link Watch.Watcher#close()} calls {@code onCompleted}, compaction ends a watcher with a
 * {@code CompactedException}, and listeners are called on gRPC's transport thread: they must not block.
 */
public final class MultiplexedWatch implements Watch {

    private static final Logger logger = LoggerFactory.getLogger(MultiplexedWatch.class);

    private final Channel channel;

    private final CallOptions callOptions;

    private final ByteSequence namespace;

    private final Runnable refreshToken;

    private final Object lock = new Object();

    /** Streams that still carry watchers; the last one takes new watchers unless it has ended or was retired. */
    private final List<MultiplexedStream> streams = new ArrayList<>();

    private boolean closed;

    private MultiplexedWatch(JetcdInternals jetcd) {
        CallOptions options = CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor());
        if (jetcd.waitForReady()) {
            options = options.withWaitForReady();
        }
        this.callOptions = jetcd.credentials().map(options::withCallCredentials).orElse(options);
        this.channel = jetcd.channel();
        this.namespace = jetcd.namespace();
        this.refreshToken = jetcd::refreshToken;
    }

    /**
     * A watch carrying every watcher on one stream of {@code client}'s channel, or, when {@code client} is not
     * jetcd's own implementation or its internals are not there (logged once as a WARN), {@code client}'s own watch
     * behind a view whose {@code close()} closes only the watchers made through it. Close the returned watch before
     * the client.
     */
    public static Watch forClient(Client client) {
        JetcdInternals.Result jetcd = JetcdInternals.of(client);
        if (jetcd.internals() == null) {
            logger.warn("etcd watches use jetcd's own watch, one stream per watcher that etcd keeps after it is "
                    + "closed until the connection drops: {}", jetcd.missing());
            return new JetcdWatchView(client.getWatchClient());
        }
        return new MultiplexedWatch(jetcd.internals());
    }

    /**
     * Creates a watcher on the shared stream, opening the stream if there is none. If the stream fails before etcd
     * confirms the watcher, the listener gets {@code onError}.
     * @throws io.etcd.jetcd.common.exception.ClosedClientException if this watch is closed
     */
    @Override
    public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
        MultiplexedWatcher watcher = new MultiplexedWatcher(key, option, listener, this.namespace);
        MultiplexedStream fresh;
        synchronized (this.lock) {
            if (this.closed) {
                throw newClosedWatchClientException();
            }
            if (!this.streams.isEmpty() && this.streams.get(this.streams.size() - 1).add(watcher)) {
                return watcher;
            }
            this.streams.removeIf(MultiplexedStream::isEnded);
            fresh = MultiplexedStream.open(this.channel, this.callOptions, this.refreshToken);
            this.streams.add(fresh);
            if (fresh.add(watcher)) {
                return watcher;
            }
        }
        // the new call failed at once (jetcd's channel is shut down): end the watcher outside the lock
        watcher.fail(fresh.failure());
        return watcher;
    }

    /** Asks etcd for its current revision on every stream; every watcher gets a progress response. */
    @Override
    public void requestProgress() {
        List<MultiplexedStream> current;
        synchronized (this.lock) {
            current = List.copyOf(this.streams);
        }
        current.forEach(MultiplexedStream::requestProgress);
    }

    /** Closes every watcher ({@code onCompleted}) and cancels the stream; later {@link #watch} calls throw. */
    @Override
    public void close() {
        List<MultiplexedStream> current;
        synchronized (this.lock) {
            this.closed = true;
            current = List.copyOf(this.streams);
            this.streams.clear();
        }
        current.forEach(MultiplexedStream::close);
    }
}
