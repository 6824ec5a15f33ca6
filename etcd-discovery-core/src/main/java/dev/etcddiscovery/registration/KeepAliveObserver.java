package dev.etcddiscovery.registration;

import java.util.concurrent.Executor;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.grpc.stub.StreamObserver;

/**
 * Hands the keepalive news of one lease to the registration's executor, tagged with the {@code generation} the
 * lease was granted in. The lease is lost when etcd says it no longer knows it (jetcd reports a NOT_FOUND error) or
 * when jetcd gives up after a TTL without answer (completion). Any other error is a broken stream, not a lost lease:
 * jetcd re-opens the stream 500 ms later with the lease in it, and etcd keeps the lease for its TTL, across restarts
 * and leader changes. Granting a new lease on every stream error would race the old lease's expiry: during a leader
 * election the grant waits for the new leader while the old lease runs out and deletes the key. A stream that does
 * not come back is caught by the owner's check for a keepalive answer per TTL.
 */
final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

    /** What the owner of the lease hears, on its executor. */
    interface Events {

        /** etcd answered a keepalive. */
        void keepAliveAnswered(long generation);

        /** The keepalive stream broke; jetcd re-opens it. */
        void keepAliveBroken(long generation, Throwable error);

        /** The lease is gone. */
        void leaseGone(long generation, String reason);
    }

    private final long generation;

    private final Executor executor;

    private final Events events;

    KeepAliveObserver(long generation, Executor executor, Events events) {
        this.generation = generation;
        this.executor = executor;
        this.events = events;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
        this.executor.execute(() -> this.events.keepAliveAnswered(this.generation));
    }

    @Override
    public void onError(Throwable error) {
        if (error instanceof EtcdException etcdError && etcdError.getErrorCode() == ErrorCode.NOT_FOUND) {
            // jetcd's word for a keepalive answered with TTL 0: etcd no longer knows the lease
            String reason = "keepalive answered: " + error.getMessage();
            this.executor.execute(() -> this.events.leaseGone(this.generation, reason));
            return;
        }
        this.executor.execute(() -> this.events.keepAliveBroken(this.generation, error));
    }

    @Override
    public void onCompleted() {
        this.executor.execute(() -> this.events.leaseGone(this.generation, "keepalive ended, the lease expired"));
    }
}
