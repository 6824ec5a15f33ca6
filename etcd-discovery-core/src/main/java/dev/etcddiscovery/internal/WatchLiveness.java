package dev.etcddiscovery.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * Whether a watch is still alive, judged once per check interval, for the resolver's watches of prefixes and the
 * registration's watches of its own keys alike: at each check the watch is sent a progress request, and a watch that
 * answered nothing since the previous check is silent. jetcd treats no silence as a failure, and a watch can die
 * silently.
 * <p>
 * etcd's gRPC proxy ({@code etcd grpc-proxy}, 3.4 to 3.6) never answers a progress request: its watch stream drops
 * the request unread. Taken for silence, that would replace every healthy watch through the proxy by a new read and
 * watch every other check interval (Range and Watch calls on etcd each time). So, until a watch has answered a
 * progress request once, each check also asks the {@link LinkProbe} to prove that etcd answers through the same
 * connection (etcd's status, forwarded by the proxy: no Range, no watch); a watch that answered nothing since the
 * previous check, but was confirmed created, is kept while that check's probe was answered, and silent when it was
 * not (the proxy frozen, killed or cut off from etcd). A watch never confirmed is not vouched for: the probe proves
 * the client's connection, and the watch may run on another one. A watch that has answered a progress request once
 * is behind a server that answers them, and from then on its silence alone makes it silent: no probe is sent for it
 * any more.
 * <p>
 * Not thread-safe: its owner calls it from one thread at a time (a synchronization context, a single-thread executor).
 */
public final class WatchLiveness {

    /** What a check found. */
    public enum Verdict {

        /** The watch answered since the previous check. */
        ANSWERED,

        /** The watch answered nothing, but etcd answered a probe through its connection: quiet, not silent. */
        LINK_ANSWERED,

        /** The watch answered nothing and nothing vouched for it: it is to be replaced. */
        SILENT
    }

    private final LinkProbe linkProbe;

    private boolean answeredSinceLastCheck = true;

    /** Whether the watch answered anything, at least that it was created: only then can a probe vouch for it. */
    private boolean answeredOnce;

    /** Whether the watch answered a progress request once: its server answers them, so no probe is needed. */
    private boolean progressAnswered;

    /** The probe of etcd's link sent at the previous check, while progress was never answered; else null. */
    private CompletableFuture<?> probe;

    /** The liveness of a new watch (with create notifications) whose link {@code linkProbe} probes. */
    public WatchLiveness(LinkProbe linkProbe) {
        this.linkProbe = linkProbe;
    }

    /** Records an answer of the watch: events, a progress answer or the confirmation that it was created. */
    public void answered(WatchResponse response) {
        this.answeredSinceLastCheck = true;
        this.answeredOnce = true;
        if (response.getEvents().isEmpty() && !response.isCreatedNotify()) {
            this.progressAnswered = true;
            this.probe = null;
        }
    }

    /**
     * Judges the watch; unless it is silent, asks {@code watcher} for progress (and etcd's link for an answer, while
     * needed) for the next check.
     */
    public Verdict check(Watch.Watcher watcher) {
        Verdict verdict = Verdict.ANSWERED;
        if (!this.answeredSinceLastCheck) {
            if (!linkAnswered()) {
                return Verdict.SILENT;
            }
            verdict = Verdict.LINK_ANSWERED;
        }
        this.answeredSinceLastCheck = false;
        watcher.requestProgress();
        if (!this.progressAnswered) {
            this.probe = this.linkProbe.probe();
        }
        return verdict;
    }

    /** Why a {@link Verdict#SILENT} watch is silent, for the log. */
    public String silence(Duration checkInterval) {
        return "it did not answer a progress request within " + checkInterval
                + (this.progressAnswered ? "" : ", nor etcd a status request through its connection");
    }

    private boolean linkAnswered() {
        return this.answeredOnce && this.probe != null && this.probe.isDone() && !this.probe.isCompletedExceptionally();
    }
}
