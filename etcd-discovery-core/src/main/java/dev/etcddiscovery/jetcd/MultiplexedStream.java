package dev.etcddiscovery.jetcd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bidirectional etcd {@code Watch} call carrying many watchers: creates them, routes what etcd sends by watch
 * id, cancels them by id, and ends every one of them with {@code onError} when the call fails. When its last watcher
 * is gone it cancels the call (RST_STREAM), so etcd drops the stream and every watcher on it at once.
 * <p>
 * A created answer carries no trace of its request (a refused create is answered with watch id -1, and etcd 3.4
 * ignores a client-chosen id), so answers are matched to requests by order, and only one create request is in
 * flight per stream at a time, as etcd's Go client does: etcd itself answers creates in order, but its gRPC proxy
 * does not (at once for a range it already watches, after etcd for a new one), and two creates in flight through it
 * swapped two services' watches (benchmark 11). Events of a watcher only follow its created answer. A progress request is
 * answered for the whole stream with watch id -1, etcd 3.5 does not answer at all while a watcher of the stream
 * is catching up, and etcd's gRPC proxy never answers one (the resolver's {@code ProgressCheckedWatch} copes), so
 * an answer goes to every watcher that asked since the last answer: a watcher's {@code requestProgress()} gets that
 * watcher an answer, as with jetcd, and not every watcher on the stream (with one request per watcher per check,
 * that would be quadratic in watchers). A watcher that fell behind a compaction is answered
 * {@code canceled} with the compact revision, yet etcd keeps counting it until the client cancels it, which this
 * class does. The stream asks for a leader ({@code hasleader}), as jetcd does for {@code withRequireLeader}: a member
 * cut off from the others ends the stream instead of keeping its watchers silently.
 * <p>
 * Callbacks run on the transport thread that received the message (direct executor, as jetcd's own watch), and
 * listeners are called outside this stream's lock.
 */
final class MultiplexedStream extends ClientCall.Listener<WatchResponse> {

    private static final Logger logger = LoggerFactory.getLogger(MultiplexedStream.class);

    private static final Metadata.Key<String> REQUIRE_LEADER = Metadata.Key.of("hasleader",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final WatchRequest PROGRESS = WatchRequest.newBuilder()
        .setProgressRequest(WatchProgressRequest.getDefaultInstance())
        .build();

    private final Object lock = new Object();

    private final ClientCall<WatchRequest, WatchResponse> call;

    private final Runnable onTokenRejected;

    /**
     * Watchers etcd has not confirmed yet, in the order they were added; the first one's create request is sent
     * ({@link #createInFlight}), the others' wait for its answer.
     */
    private final ArrayDeque<MultiplexedWatcher> creating = new ArrayDeque<>();

    private boolean createInFlight;

    private final Map<Long, MultiplexedWatcher> watchers = new HashMap<>();

    /** Watchers that asked for progress since the last answer. */
    private final Set<MultiplexedWatcher> progressAskers = new LinkedHashSet<>();

    /** Takes no new watchers: the call has ended, or etcd rejected its token. */
    private boolean retired;

    private boolean ended;

    private EtcdException failure;

    private MultiplexedStream(ClientCall<WatchRequest, WatchResponse> call, Runnable onTokenRejected) {
        this.call = call;
        this.onTokenRejected = onTokenRejected;
    }

    /** Starts a call on {@code channel}; {@code onTokenRejected} runs when etcd says the call's token is invalid. */
    static MultiplexedStream open(Channel channel, CallOptions options, Runnable onTokenRejected) {
        MultiplexedStream stream = new MultiplexedStream(channel.newCall(WatchGrpc.getWatchMethod(), options),
                onTokenRejected);
        Metadata headers = new Metadata();
        headers.put(REQUIRE_LEADER, "true");
        synchronized (stream.lock) {
            stream.call.start(stream, headers);
            stream.call.request(1);
        }
        logger.debug("Opened an etcd watch stream");
        return stream;
    }

    /** Sends the create request of {@code watcher}; false when this stream takes no new watchers. */
    boolean add(MultiplexedWatcher watcher) {
        synchronized (this.lock) {
            if (this.retired || this.ended) {
                return false;
            }
            watcher.attach(this);
            this.creating.add(watcher);
            sendNextCreate();
            return true;
        }
    }

    /** Why the call ended, for watchers that came too late to be added. */
    EtcdException failure() {
        synchronized (this.lock) {
            return (this.failure != null) ? this.failure : WatcherErrors.closed();
        }
    }

    boolean isEnded() {
        synchronized (this.lock) {
            return this.ended;
        }
    }

    /** Asks etcd for progress on behalf of {@code asker}. */
    void requestProgress(MultiplexedWatcher asker) {
        synchronized (this.lock) {
            this.progressAskers.add(asker);
            sendProgressRequest();
        }
    }

    /** Asks etcd for progress on behalf of every watcher on this stream. */
    void requestProgress() {
        synchronized (this.lock) {
            this.progressAskers.addAll(liveWatchers());
            sendProgressRequest();
        }
    }

    private void sendProgressRequest() {
        if (!this.ended) {
            this.call.sendMessage(PROGRESS);
        }
    }

    /** {@code watcher} was closed: cancels it on etcd, or the whole call if it was the last one. */
    void remove(MultiplexedWatcher watcher) {
        synchronized (this.lock) {
            if (this.ended) {
                return;
            }
            this.progressAskers.remove(watcher);
            if (watcher.id() >= 0 && this.watchers.remove(watcher.id()) == watcher) {
                cancelOnEtcd(watcher.id());
            }
            else {
                // a watcher still being created is cancelled when its created answer comes, unless it was the last
                cancelCallIfIdle();
            }
        }
    }

    /** Closes every watcher (each gets {@code onCompleted}) and cancels the call. */
    void close() {
        List<MultiplexedWatcher> live;
        synchronized (this.lock) {
            live = liveWatchers();
        }
        live.forEach(MultiplexedWatcher::close);
        synchronized (this.lock) {
            cancelCall("the watch was closed");
        }
    }

    @Override
    public void onMessage(WatchResponse response) {
        MultiplexedWatcher target = null;
        List<MultiplexedWatcher> askers = null;
        EtcdException error = null;
        boolean tokenRejected = false;
        synchronized (this.lock) {
            if (this.ended) {
                return;
            }
            this.call.request(1);
            if (response.getCreated()) {
                target = this.creating.poll();
                this.createInFlight = false;
                if (target == null) {
                    logger.warn("etcd confirmed a watch that was not asked for on this stream: {}", response);
                }
                else if (response.getCanceled()) {
                    error = WatcherErrors.refused(target.key(), response);
                    tokenRejected = WatcherErrors.isTokenRejected(response);
                    this.retired |= tokenRejected;
                    cancelCallIfIdle();
                }
                else if (target.isClosed()) {
                    // closed before etcd confirmed it: cancel it now that it has an id
                    target = null;
                    cancelOnEtcd(response.getWatchId());
                }
                else {
                    target.created(response.getWatchId());
                    this.watchers.put(response.getWatchId(), target);
                }
                sendNextCreate();
            }
            else if (response.getWatchId() == -1) {
                // a watcher etcd has not confirmed yet waits for the next answer (etcd 3.5 may answer before)
                askers = this.progressAskers.stream().filter((asker) -> asker.id() >= 0).toList();
                askers.forEach(this.progressAskers::remove);
            }
            else {
                target = this.watchers.get(response.getWatchId());
                if (target != null && response.getCanceled()) {
                    this.watchers.remove(response.getWatchId());
                    error = WatcherErrors.canceled(response);
                    cancelOnEtcd(response.getWatchId());
                }
            }
        }
        if (tokenRejected) {
            logger.debug("etcd rejected the token of a watch stream; new watches use a new stream and token");
            this.onTokenRejected.run();
        }
        if (askers != null) {
            askers.forEach((watcher) -> watcher.onResponse(response));
        }
        else if (target != null && error != null) {
            target.fail(error);
        }
        else if (target != null && response.getCreated()) {
            target.onCreated(response);
        }
        else if (target != null) {
            target.onResponse(response);
        }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        List<MultiplexedWatcher> live;
        EtcdException error = WatcherErrors.streamEnded(status);
        synchronized (this.lock) {
            live = liveWatchers();
            this.ended = true;
            this.failure = error;
            this.creating.clear();
            this.watchers.clear();
            this.progressAskers.clear();
        }
        if (!live.isEmpty()) {
            logger.debug("etcd watch stream of {} watchers ended: {}", live.size(), status);
        }
        live.forEach((watcher) -> watcher.fail(error));
    }

    /**
     * Sends the create request of the first watcher waiting for one, unless a create is in flight; watchers closed
     * before their request was sent are dropped (etcd never heard of them).
     */
    private void sendNextCreate() {
        if (this.createInFlight || this.ended) {
            return;
        }
        while (!this.creating.isEmpty() && this.creating.peek().isClosed()) {
            this.creating.poll();
        }
        if (this.creating.isEmpty()) {
            cancelCallIfIdle();
            return;
        }
        this.createInFlight = true;
        this.call.sendMessage(this.creating.peek().createRequest());
    }

    /** Cancels a watcher by id on etcd, or the call when no watcher is left, so etcd forgets it either way. */
    private void cancelOnEtcd(long id) {
        if (!cancelCallIfIdle()) {
            this.call.sendMessage(WatchRequest.newBuilder()
                .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id))
                .build());
        }
    }

    private boolean cancelCallIfIdle() {
        if (!this.watchers.isEmpty() || !this.creating.stream().allMatch(MultiplexedWatcher::isClosed)) {
            return false;
        }
        cancelCall("no watcher left");
        return true;
    }

    private void cancelCall(String reason) {
        if (!this.ended) {
            this.ended = true;
            this.call.cancel(reason, null);
            logger.debug("Cancelled an etcd watch stream: {}", reason);
        }
    }

    private List<MultiplexedWatcher> liveWatchers() {
        List<MultiplexedWatcher> live = new ArrayList<>(this.watchers.values());
        this.creating.stream().filter((watcher) -> !watcher.isClosed()).forEach(live::add);
        return live;
    }
}
