package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of a prefix from a revision, that must prove it is alive: every check interval it is sent a progress
 * request, and a watch that did not answer anything since the previous check is reported lost, like one that
 * failed, was cancelled or was ended by etcd. jetcd treats no silence as a failure, and a watch can die silently.
 * <p>
 * etcd's gRPC proxy ({@code etcd grpc-proxy}, 3.4 to 3.6) never answers a progress request: its watch stream drops
 * the request unread. Taken for silence, that would replace every healthy watch through the proxy by a new list and
 * watch every other check interval (two Range calls and a Watch call on etcd each time, the proxy's permission check
 * included). So, until a watch has answered a progress request once, each check also asks the {@link LinkProbe} to
 * prove that etcd answers through the same connection (etcd's status, forwarded by the proxy: no Range, no watch); a
 * watch that answered nothing since the previous check, but was confirmed created, is kept while that check's probe
 * was answered, and lost when it was not (the proxy frozen, killed or cut off from etcd). A watch never confirmed is
 * not vouched for: the probe proves the client's connection, and the watch may run on another one. A watch that has answered a progress request once is behind a server
 * that answers them, and from then on its silence alone makes it lost, as before: no probe is sent for it any more.
 * <p>
 * Its callbacks run on the watch's synchronization context, and none runs after {@link #stop()}.
 */
final class ProgressCheckedWatch {

    /** What a watch reports, on the synchronization context. */
    interface Listener {

        /** Events, a progress answer or the confirmation that the watch was created. */
        void onResponse(WatchResponse response);

        /** A check found a watch that answered nothing alive all the same: etcd answered through its connection. */
        void onLinkAnswered();

        /** The watch is gone; {@code reason} says why, for the log. */
        void onLost(String reason, boolean compacted);
    }

    private static final Logger logger = LoggerFactory.getLogger(ProgressCheckedWatch.class);

    private final Duration checkInterval;

    private final Timers timers;

    private final Listener listener;

    private final LinkProbe linkProbe;

    private Watch.Watcher watcher;

    private ScheduledHandle checkTimer;

    private boolean answeredSinceLastCheck = true;

    /** Whether the watch answered anything, at least that it was created: only then can a probe vouch for it. */
    private boolean answeredOnce;

    /** Whether the watch answered a progress request once: its server answers them, so no probe is needed. */
    private boolean progressAnswered;

    /** The probe of etcd's link sent at the previous check, while progress was never answered; else null. */
    private CompletableFuture<?> probe;

    private boolean stopped;

    private ProgressCheckedWatch(Duration checkInterval, Timers timers, Listener listener, LinkProbe linkProbe) {
        this.checkInterval = checkInterval;
        this.timers = timers;
        this.listener = listener;
        this.linkProbe = linkProbe;
    }

    /**
     * Starts watching {@code prefix} from {@code revision}.
     * @throws RuntimeException if the watch source refuses (a closed client)
     */
    static ProgressCheckedWatch start(Watch source, ByteSequence prefix, long revision, Duration checkInterval,
            LinkProbe linkProbe, SynchronizationContext syncContext, Timers timers, Listener listener) {
        ProgressCheckedWatch watch = new ProgressCheckedWatch(checkInterval, timers, listener, linkProbe);
        WatchOption option = WatchOption.builder()
            .isPrefix(true)
            .withRevision(revision)
            .withRequireLeader(true)
            .withCreateNotify(true)
            .build();
        watch.watcher = source.watch(prefix, option, Watch.listener(
                (response) -> syncContext.execute(() -> watch.onResponse(response)),
                (error) -> syncContext.execute(() -> watch.onError(error)),
                () -> syncContext.execute(() -> watch.lost("etcd ended it", false))));
        watch.checkTimer = timers.schedule(watch::check, checkInterval.toNanos());
        return watch;
    }

    /** Closes the watch; nothing is reported after this. */
    void stop() {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        if (this.checkTimer != null) {
            this.checkTimer.cancel();
            this.checkTimer = null;
        }
        try {
            this.watcher.close();
        }
        catch (RuntimeException ex) {
            logger.debug("Closing a watch failed", ex);
        }
    }

    private void onResponse(WatchResponse response) {
        if (!this.stopped) {
            this.answeredSinceLastCheck = true;
            this.answeredOnce = true;
            if (response.getEvents().isEmpty() && !response.isCreatedNotify()) {
                this.progressAnswered = true;
                this.probe = null;
            }
            this.listener.onResponse(response);
        }
    }

    private void onError(Throwable error) {
        boolean compacted = error instanceof CompactedException;
        String message = (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
        lost(compacted ? "its revision was compacted" : "it failed: " + message, compacted);
    }

    private void check() {
        this.checkTimer = null;
        if (this.stopped) {
            return;
        }
        if (!this.answeredSinceLastCheck) {
            if (!linkAnswered()) {
                lost("it did not answer a progress request within " + this.checkInterval
                        + (this.progressAnswered ? "" : ", nor etcd a status request through its connection"), false);
                return;
            }
            this.listener.onLinkAnswered();
        }
        this.answeredSinceLastCheck = false;
        this.watcher.requestProgress();
        if (!this.progressAnswered) {
            this.probe = this.linkProbe.probe();
        }
        this.checkTimer = this.timers.schedule(this::check, this.checkInterval.toNanos());
    }

    private boolean linkAnswered() {
        return this.answeredOnce && this.probe != null && this.probe.isDone() && !this.probe.isCompletedExceptionally();
    }

    private void lost(String reason, boolean compacted) {
        if (!this.stopped) {
            stop();
            this.listener.onLost(reason, compacted);
        }
    }
}
