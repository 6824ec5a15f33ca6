package dev.etcddiscovery.jetcd;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.Util;

/**
 * One watcher of a {@link MultiplexedWatch}: its create request, and the delivery of what etcd sends for it to its
 * {@link Watch.Listener}, in order, on the thread that received it. Ends once, with {@code onCompleted} when it is
 * closed (as jetcd's watchers do) or with {@code onError}; nothing reaches the listener after that.
 * <p>
 * Large responses: the create request asks etcd (3.4+) to split a response into fragments no larger than its
 * request limit, so that one revision with many keys cannot exceed the client's inbound message limit and fail the
 * stream of every watcher; the fragments are joined into one response again here. jetcd 0.8.5's generated
 * messages predate the {@code fragment} fields, so they travel as protobuf unknown fields with etcd's field numbers.
 */
final class MultiplexedWatcher implements Watch.Watcher {

    /** {@code WatchCreateRequest.fragment} in etcd's rpc.proto. */
    private static final int CREATE_FRAGMENT_FIELD = 8;

    /** {@code WatchResponse.fragment} in etcd's rpc.proto. */
    private static final int RESPONSE_FRAGMENT_FIELD = 7;

    private static final UnknownFieldSet ASK_FOR_FRAGMENTS = UnknownFieldSet.newBuilder()
        .addField(CREATE_FRAGMENT_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
        .build();

    private final String key;

    private final WatchRequest createRequest;

    private final boolean createdNotify;

    private final Watch.Listener listener;

    private final ByteSequence namespace;

    /** Set by the stream that carries it, before the watcher is handed out. */
    private volatile MultiplexedStream stream;

    /** etcd's id for the watcher, -1 until etcd confirmed it; read and written under the stream's lock. */
    private long id = -1;

    private volatile boolean closed;

    /** Fragments received so far; only touched on the stream's callback thread. */
    private WatchResponse.Builder fragments;

    MultiplexedWatcher(ByteSequence key, WatchOption option, Watch.Listener listener, ByteSequence namespace) {
        this.key = key.toString(StandardCharsets.UTF_8);
        this.createRequest = WatchRequest.newBuilder().setCreateRequest(createRequest(key, option, namespace)).build();
        this.createdNotify = option.isCreatedNotify();
        this.listener = listener;
        this.namespace = namespace;
    }

    /** The same create request jetcd's watch sends (namespace, range, filters), asking for fragments too. */
    private static WatchCreateRequest createRequest(ByteSequence key, WatchOption option, ByteSequence namespace) {
        WatchCreateRequest.Builder builder = WatchCreateRequest.newBuilder()
            .setKey(Util.prefixNamespace(key, namespace))
            .setPrevKv(option.isPrevKV())
            .setProgressNotify(option.isProgressNotify())
            .setStartRevision(option.getRevision())
            .setUnknownFields(ASK_FOR_FRAGMENTS);
        option.getEndKey()
            .map((endKey) -> Util.prefixNamespaceToRangeEnd(endKey, namespace))
            .ifPresent(builder::setRangeEnd);
        if (option.getEndKey().isEmpty() && option.isPrefix()) {
            builder.setRangeEnd(Util.prefixNamespaceToRangeEnd(OptionsUtil.prefixEndOf(key), namespace));
        }
        if (option.isNoDelete()) {
            builder.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        if (option.isNoPut()) {
            builder.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        return builder.build();
    }

    String key() {
        return this.key;
    }

    WatchRequest createRequest() {
        return this.createRequest;
    }

    void attach(MultiplexedStream stream) {
        this.stream = stream;
    }

    long id() {
        return this.id;
    }

    void created(long id) {
        this.id = id;
    }

    @Override
    public boolean isClosed() {
        return this.closed;
    }

    @Override
    public void requestProgress() {
        if (!this.closed && this.stream != null) {
            this.stream.requestProgress(this);
        }
    }

    /** Cancels the watcher on etcd and calls {@code onCompleted}; does nothing once the watcher has ended. */
    @Override
    public void close() {
        synchronized (this) {
            if (this.closed) {
                return;
            }
            this.closed = true;
        }
        if (this.stream != null) {
            this.stream.remove(this);
        }
        this.listener.onCompleted();
    }

    /** etcd confirmed the watch. */
    void onCreated(WatchResponse response) {
        if (this.createdNotify) {
            deliver(response);
        }
    }

    /** Events or a progress notification for this watcher, or one fragment of them. */
    void onResponse(WatchResponse response) {
        if (isFragment(response)) {
            if (this.fragments == null) {
                this.fragments = response.toBuilder();
            }
            else {
                this.fragments.addAllEvents(response.getEventsList());
            }
            return;
        }
        if (this.fragments != null) {
            WatchResponse whole = this.fragments.addAllEvents(response.getEventsList())
                .setHeader(response.getHeader())
                .setUnknownFields(UnknownFieldSet.getDefaultInstance())
                .build();
            this.fragments = null;
            deliver(whole);
            return;
        }
        deliver(response);
    }

    private static boolean isFragment(WatchResponse response) {
        UnknownFieldSet unknown = response.getUnknownFields();
        if (!unknown.hasField(RESPONSE_FRAGMENT_FIELD)) {
            return false;
        }
        var values = unknown.getField(RESPONSE_FRAGMENT_FIELD).getVarintList();
        return !values.isEmpty() && values.get(values.size() - 1) != 0;
    }

    private synchronized void deliver(WatchResponse response) {
        if (!this.closed) {
            this.listener.onNext(new io.etcd.jetcd.watch.WatchResponse(response, this.namespace));
        }
    }

    /** Ends the watcher with {@code error}, unless it has already ended. */
    synchronized void fail(EtcdException error) {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.fragments = null;
        this.listener.onError(error);
    }

    @Override
    public String toString() {
        return "watcher " + this.id + " of '" + this.key + "'";
    }
}
