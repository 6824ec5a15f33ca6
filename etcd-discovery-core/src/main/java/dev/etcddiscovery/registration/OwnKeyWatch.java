package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import dev.etcddiscovery.internal.LinkProbe;
import dev.etcddiscovery.internal.WatchLiveness;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of one key for {@link OwnKeyGuard}. jetcd calls back on its own threads: events and the end of the watch
 * go to the executor, tagged with the watch's {@code generation}. Its {@link WatchLiveness}, kept on the executor,
 * tells the guard's checks whether the watch is still alive: a progress request answered, or through etcd's gRPC
 * proxy a status request answered on the client's connection.
 * <p>
 * Closing leaves as little as jetcd 0.8.5 allows on etcd: jetcd cancels a watcher on etcd only when etcd has
 * confirmed its creation (before that it just half-closes the stream and etcd keeps the watcher), so a close waits
 * for the created notification, at most the request timeout. The stream itself stays open on etcd until the
 * connection drops, whatever the client does (etcd-io/jetcd#1510).
 */
final class OwnKeyWatch implements Watch.Listener {

    private static final Logger logger = LoggerFactory.getLogger(OwnKeyWatch.class);

    /** Events of a watch, with the generation of the watch that saw them. */
    interface Events {

        void onEvents(long generation, List<WatchEvent> events);
    }

    private final ByteSequence key;

    private final long generation;

    private final ScheduledExecutorService executor;

    private final Duration closeDeadline;

    private final Events events;

    private final LongConsumer ended;

    private final WatchLiveness liveness;

    private final Watch.Watcher watcher;

    private final AtomicBoolean closing = new AtomicBoolean();

    private volatile boolean created;

    private volatile boolean closeRequested;

    /**
     * Starts watching {@code key} from {@code revision}.
     * @param closeDeadline how long a close waits for etcd to confirm the watch
     * @param linkProbe vouches for the watch while it answers no progress request
     * @param ended told the generation of a watch that ended without being closed here
     */
    OwnKeyWatch(Watch source, ByteSequence key, long revision, long generation, ScheduledExecutorService executor,
            Duration closeDeadline, LinkProbe linkProbe, Events events, LongConsumer ended) {
        this.key = key;
        this.generation = generation;
        this.executor = executor;
        this.closeDeadline = closeDeadline;
        this.events = events;
        this.ended = ended;
        this.liveness = new WatchLiveness(linkProbe);
        WatchOption option = WatchOption.builder().withRevision(revision).withCreateNotify(true).build();
        this.watcher = source.watch(key, option, this);
    }

    @Override
    public void onNext(WatchResponse response) {
        if (response.isCreatedNotify()) {
            this.created = true;
            if (this.closeRequested) {
                closeWatcher();
            }
        }
        this.executor.execute(() -> {
            this.liveness.answered(response);
            if (!response.getEvents().isEmpty()) {
                this.events.onEvents(this.generation, response.getEvents());
            }
        });
    }

    @Override
    public void onError(Throwable error) {
        // Over for us whatever the source does next (jetcd would re-create it, the multiplexed watch does not): the
        // guard reads the key and watches again, with backoff
        this.created = false;
        logger.debug("Watch of {} failed", this.key, error);
        closeWatcher();
        this.executor.execute(() -> this.ended.accept(this.generation));
    }

    @Override
    public void onCompleted() {
        // also called by jetcd for a close of ours: the generation tells the guard it is no news
        this.executor.execute(() -> this.ended.accept(this.generation));
    }

    long generation() {
        return this.generation;
    }

    /** A check, on the executor: whether the watch answered since the last one; if so, asks it for progress. */
    WatchLiveness.Verdict check() {
        return this.liveness.check(this.watcher);
    }

    /** Why a watch found {@link WatchLiveness.Verdict#SILENT} is silent. */
    String silence(Duration checkInterval) {
        return this.liveness.silence(checkInterval);
    }

    /** Closes now if etcd confirmed the watch, else once it does, or after the close deadline at the latest. */
    void close() {
        this.closeRequested = true;
        if (this.created) {
            closeWatcher();
        }
        else {
            this.executor.schedule(this::closeWatcher, this.closeDeadline.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeWatcher() {
        if (this.closing.compareAndSet(false, true)) {
            try {
                this.watcher.close();
            }
            catch (RuntimeException ex) {
                logger.debug("Closing the watch of {} failed", this.key, ex);
            }
        }
    }
}
