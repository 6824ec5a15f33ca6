package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the usable endpoints of an {@link EndpointTable} to the subscribers of a prefix: at once when a change comes
 * alone, coalesced while changes keep coming faster than subscribers take in lists ({@link BurstCoalescer}), and not
 * at all while a new cluster's grace period keeps the previous list ({@link NewClusterGracePeriod}): during it only
 * a list with endpoints is handed out, whether it comes from a list, a watch event or a held-back burst.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context, which also runs its timers.
 */
final class EndpointPublisher {

    private static final Logger logger = LoggerFactory.getLogger(EndpointPublisher.class);

    private final String prefix;

    private final EndpointTable table;

    private final NewClusterGracePeriod gracePeriod;

    private final Timers timers;

    private final BurstCoalescer coalescer = new BurstCoalescer();

    private final Set<PrefixWatch.Subscriber> subscribers = new LinkedHashSet<>();

    private List<EquivalentAddressGroup> current;

    private Status initialError;

    /** Whether the table changed since the list last handed out. */
    private boolean changed;

    /** Hands out the coalesced changes of a burst. */
    private ScheduledHandle publishTimer;

    private volatile int endpointCount;

    private volatile Instant lastUpdate;

    EndpointPublisher(String prefix, EndpointTable table, Duration newClusterGracePeriod, Timers timers) {
        this.prefix = prefix;
        this.table = table;
        this.gracePeriod = new NewClusterGracePeriod(newClusterGracePeriod);
        this.timers = timers;
    }

    void subscribe(PrefixWatch.Subscriber subscriber) {
        this.subscribers.add(subscriber);
        if (this.current != null) {
            subscriber.onEndpoints(this.current);
        }
        else if (this.initialError != null) {
            subscriber.onError(this.initialError);
        }
    }

    void unsubscribe(PrefixWatch.Subscriber subscriber) {
        this.subscribers.remove(subscriber);
    }

    /** The table changed after a watch event or a host lookup. */
    void tableChanged() {
        this.changed = true;
        publish();
    }

    /**
     * The table was filled by a list of the prefix.
     * @param newCluster whether the list comes from a new or restored etcd cluster
     * @param tableChanged whether the list changed the table
     */
    void listed(boolean newCluster, boolean tableChanged) {
        this.changed |= tableChanged;
        boolean empty = !this.table.hasUsableEndpoints();
        if (this.gracePeriod.keepsPrevious(empty, newCluster, this.current != null && !this.current.isEmpty())) {
            if (!this.gracePeriod.isRunning()) {
                startGracePeriod();
            }
        }
        else if (this.changed || this.current == null) {
            publish();
        }
    }

    /** Listing failed: subscribers that were never handed a list learn why. */
    void listFailed(Status error) {
        if (this.current == null) {
            this.initialError = error;
            List.copyOf(this.subscribers).forEach((subscriber) -> subscriber.onError(error));
        }
    }

    int endpointCount() {
        return this.endpointCount;
    }

    Instant lastUpdate() {
        return this.lastUpdate;
    }

    void close() {
        cancelPublishTimer();
        this.gracePeriod.end();
        this.subscribers.clear();
    }

    private void startGracePeriod() {
        Duration length = this.gracePeriod.length();
        logger.info("etcd prefix '{}' is empty in a new or restored etcd cluster; keeping its {} previous endpoints "
                + "until a change brings endpoints or for {}", this.prefix, this.current.size(), length);
        this.gracePeriod.started(this.timers.schedule(() -> {
            this.gracePeriod.expired();
            logger.info("etcd prefix '{}' stayed empty for {} in the new cluster; following it", this.prefix, length);
            handOut();
        }, length.toNanos()));
    }

    /** Hands out the table now, or with the rest of a burst if the coalescer holds it back. */
    private void publish() {
        if (this.publishTimer != null) {
            return;
        }
        long holdBackNanos = this.coalescer.holdBackNanos(System.nanoTime(), this.current != null);
        if (holdBackNanos == 0) {
            handOut();
            return;
        }
        this.publishTimer = this.timers.schedule(() -> {
            this.publishTimer = null;
            handOut();
        }, holdBackNanos);
    }

    private void handOut() {
        if (this.gracePeriod.isRunning() && !this.table.hasUsableEndpoints()) {
            // a change that leaves the new cluster's prefix empty does not end the grace period
            return;
        }
        cancelPublishTimer();
        this.gracePeriod.end();
        long start = System.nanoTime();
        this.current = this.table.addressGroups();
        this.changed = false;
        this.initialError = null;
        this.endpointCount = this.current.size();
        this.lastUpdate = Instant.now();
        logger.debug("etcd prefix '{}' now has {} endpoints", this.prefix, this.current.size());
        for (PrefixWatch.Subscriber subscriber : List.copyOf(this.subscribers)) {
            subscriber.onEndpoints(this.current);
        }
        this.coalescer.handedOut(start, System.nanoTime());
    }

    private void cancelPublishTimer() {
        if (this.publishTimer != null) {
            this.publishTimer.cancel();
            this.publishTimer = null;
        }
    }
}
