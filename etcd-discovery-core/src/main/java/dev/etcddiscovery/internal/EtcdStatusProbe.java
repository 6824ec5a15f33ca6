package dev.etcddiscovery.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;

/**
 * Asks etcd for its status ({@code Maintenance.Status}) on the jetcd client's own channel, the connection its
 * watches run on: etcd's gRPC proxy forwards the call to etcd, so an answer proves that the client reaches the proxy
 * and the proxy reaches etcd. etcd serves it from memory: no Range, no watch, no raft round. One call at a time
 * serves every watch of a directory: a probe asked for while one is in flight, or less than half a deadline after
 * the last one answered, shares it, so a client costs etcd one call per check interval however many services it
 * follows (a registry has a probe per registration, bounded by its TTL, the interval of its checks). jetcd's own
 * {@code statusMember(target)} would open a new connection per call, so the call is made here, with jetcd's token
 * when it has one.
 */
public final class EtcdStatusProbe implements LinkProbe {

    private final MaintenanceGrpc.MaintenanceFutureStub stub;

    private final long deadlineNanos;

    private CompletableFuture<Void> last;

    private long lastStartedNanos;

    private EtcdStatusProbe(JetcdInternals jetcd, Duration deadline) {
        MaintenanceGrpc.MaintenanceFutureStub stub = MaintenanceGrpc.newFutureStub(jetcd.channel());
        this.stub = jetcd.credentials().map(stub::withCallCredentials).orElse(stub);
        this.deadlineNanos = deadline.toNanos();
    }

    /** A probe of {@code client}'s channel, each call bounded by {@code deadline}; {@link LinkProbe#NONE} without one. */
    public static LinkProbe forClient(Client client, Duration deadline) {
        JetcdInternals jetcd = JetcdInternals.of(client).internals();
        return (jetcd != null) ? new EtcdStatusProbe(jetcd, deadline) : LinkProbe.NONE;
    }

    @Override
    public synchronized CompletableFuture<?> probe() {
        long now = System.nanoTime();
        if (this.last != null && (!this.last.isDone() || now - this.lastStartedNanos < this.deadlineNanos / 2)) {
            return this.last;
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        Futures.addCallback(this.stub.withDeadlineAfter(this.deadlineNanos, TimeUnit.NANOSECONDS)
            .status(StatusRequest.getDefaultInstance()), new FutureCallback<StatusResponse>() {

                @Override
                public void onSuccess(StatusResponse response) {
                    answered.complete(null);
                }

                @Override
                public void onFailure(Throwable error) {
                    answered.completeExceptionally(error);
                }
            }, MoreExecutors.directExecutor());
        this.last = answered;
        this.lastStartedNanos = now;
        return answered;
    }
}
