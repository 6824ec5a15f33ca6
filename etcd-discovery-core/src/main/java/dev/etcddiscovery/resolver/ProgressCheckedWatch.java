package dev.etcddiscovery.resolver;

import java.time.Duration;

import dev.etcddiscovery.internal.LinkProbe;
import dev.etcddiscovery.internal.WatchLiveness;
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
 * One watch of a prefix from a revision, that must prove it is alive every check interval ({@link WatchLiveness}:
 * a progress request answered, or through etcd's gRPC proxy, which never answers one, a status request answered
 * through the same connection by a watch confirmed created); a silent watch is reported lost, like one that failed,
 * was cancelled or was ended by etcd.
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

    private final WatchLiveness liveness;

    private Watch.Watcher watcher;

    private ScheduledHandle checkTimer;

    private boolean stopped;

    private ProgressCheckedWatch(Duration checkInterval, Timers timers, Listener listener, LinkProbe linkProbe) {
        this.checkInterval = checkInterval;
        this.timers = timers;
        this.listener = listener;
        this.liveness = new WatchLiveness(linkProbe);
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
            this.liveness.answered(response);
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
        WatchLiveness.Verdict verdict = this.liveness.check(this.watcher);
        if (verdict == WatchLiveness.Verdict.SILENT) {
            lost(this.liveness.silence(this.checkInterval), false);
            return;
        }
        if (verdict == WatchLiveness.Verdict.LINK_ANSWERED) {
            this.listener.onLinkAnswered();
        }
        this.checkTimer = this.timers.schedule(this::check, this.checkInterval.toNanos());
    }

    private void lost(String reason, boolean compacted) {
        if (!this.stopped) {
            stop();
            this.listener.onLost(reason, compacted);
        }
    }
}
