package dev.etcddiscovery.resolver;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.etcd.jetcd.Response;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a watch knows of the etcd cluster it follows, to tell when the cluster was wiped or replaced behind its back:
 * the cluster id of the last answer and the highest revision seen. Another cluster id is a new cluster; a revision
 * that went back is one only if a linearizable read confirms it, because with several etcd endpoints a member that
 * lags behind answers with an older revision. A list, which is linearizable, never goes back on the same cluster.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context.
 */
final class ClusterIdentity {

    private static final Logger logger = LoggerFactory.getLogger(ClusterIdentity.class);

    /** etcd's cluster id of the last list or watch answer; 0 before the first. */
    private long clusterId;

    private long revision;

    /** Whether the watch was given up because the cluster was replaced, so the next list may find it empty. */
    private boolean replaced;

    private boolean checking;

    long revision() {
        return this.revision;
    }

    /** Takes in a list's answer; returns whether it comes from a new or restored cluster. */
    boolean listed(Response.Header header) {
        boolean newCluster = this.replaced || header.getRevision() < this.revision || isAnotherCluster(header);
        this.replaced = false;
        this.clusterId = header.getClusterId();
        this.revision = header.getRevision();
        return newCluster;
    }

    /** Whether a watch answer comes from another cluster than the last list; if so, the next list is a new one. */
    boolean replacedBy(Response.Header header) {
        this.replaced |= isAnotherCluster(header);
        return this.replaced;
    }

    /** Whether a watch answer without events is behind the revision already seen, so it must be checked. */
    boolean isBehind(Response.Header header) {
        return header.getRevision() < this.revision;
    }

    /**
     * Checks a watch answer that is {@link #isBehind behind} with a linearizable read of etcd's revision, one at a
     * time: if etcd's revision went back, the cluster was restored from an older snapshot and {@code wentBack} is
     * called with the reason; otherwise the member that answered lags behind and nothing is to be done.
     * @param readRevision a linearizable read of etcd's current revision
     * @param syncContext where the read's answer is taken in
     * @param wentBack called with the reason, on the synchronization context
     */
    void check(Response.Header header, Supplier<CompletableFuture<Long>> readRevision,
            SynchronizationContext syncContext, Consumer<String> wentBack) {
        if (this.checking) {
            return;
        }
        this.checking = true;
        long seen = this.revision;
        String member = Long.toHexString(header.getMemberId());
        logger.debug("etcd member {} answered a watch at revision {}, behind {}; checking etcd's revision", member,
                header.getRevision(), seen);
        readRevision.get().whenComplete((current, error) -> syncContext.execute(() -> {
            this.checking = false;
            // an unreachable etcd shows as a failed or silent watch, which is handled there
            if (error != null) {
                return;
            }
            if (current < seen) {
                this.replaced = true;
                wentBack.accept("etcd's revision went back from " + seen + " to " + current + " (a restored cluster)");
            }
            else {
                logger.debug("etcd is at revision {}: member {} lags behind", current, member);
            }
        }));
    }

    void advancedTo(long modRevision) {
        this.revision = Math.max(this.revision, modRevision);
    }

    private boolean isAnotherCluster(Response.Header header) {
        return this.clusterId != 0 && header.getClusterId() != 0 && header.getClusterId() != this.clusterId;
    }
}
