package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lease grants and revokes of a {@link LeasedEndpoint}, each waited for at most the request timeout. */
final class LeaseRequests {

    private static final Logger logger = LoggerFactory.getLogger(LeaseRequests.class);

    private final Lease leaseClient;

    private final Duration requestTimeout;

    LeaseRequests(Lease leaseClient, Duration requestTimeout) {
        this.leaseClient = leaseClient;
        this.requestTimeout = requestTimeout;
    }

    /** Grants a lease of {@code ttlSeconds}; throws what jetcd throws at once. */
    CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds) {
        CompletableFuture<LeaseGrantResponse> grant = this.leaseClient.grant(ttlSeconds);
        // Bound a copy: the timeout ends our wait, not gRPC's call, which etcd may still answer with a lease once
        // it is reachable again. Nobody would keep that lease alive or revoke it, so it is revoked here.
        CompletableFuture<LeaseGrantResponse> bounded = bounded(grant.copy());
        bounded.whenComplete((granted, error) -> {
            if (error != null) {
                grant.thenAccept((late) -> revokeQuietly(late.getID()));
            }
        });
        return bounded;
    }

    CompletableFuture<LeaseRevokeResponse> revoke(long lease) {
        return bounded(this.leaseClient.revoke(lease));
    }

    /** Revokes a lease nobody uses; should that fail, it expires by itself. */
    void revokeQuietly(long lease) {
        revoke(lease).whenComplete((revoked, error) -> {
            if (error != null) {
                logger.debug("Could not revoke unused lease {}; it expires by itself", LeaseIds.toHex(lease), error);
            }
        });
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> call) {
        return call.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
