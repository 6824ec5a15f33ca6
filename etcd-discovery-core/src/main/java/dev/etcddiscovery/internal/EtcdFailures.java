package dev.etcddiscovery.internal;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.grpc.Status;

/**
 * Turns the failure of a bounded jetcd call into a short reason for logs, statuses and health details: one
 * description of a failed etcd call for the resolver, the registration and the health indicator.
 */
public final class EtcdFailures {

    private EtcdFailures() {
    }

    /** The failure itself, not the {@link CompletionException} or {@link ExecutionException} around it. */
    public static Throwable unwrap(Throwable error) {
        boolean wrapped = error instanceof CompletionException || error instanceof ExecutionException;
        return (wrapped && error.getCause() != null) ? error.getCause() : error;
    }

    /** Whether the call failed because etcd did not answer within the request timeout. */
    public static boolean isTimeout(Throwable error) {
        return unwrap(error) instanceof TimeoutException;
    }

    /**
     * "etcd did not answer within 5000 ms" for a call that hit {@code requestTimeout} (jetcd waits for etcd forever);
     * else the gRPC status and etcd's own reason, e.g. "INVALID_ARGUMENT: etcdserver: authentication failed, invalid
     * user ID or password" (etcd's reasons never contain a credential), or the failure's own message.
     */
    public static String describe(Throwable error, Duration requestTimeout) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return "etcd did not answer within " + requestTimeout.toMillis() + " ms";
        }
        Status status = Status.fromThrowable(cause);
        if (status.getCode() != Status.Code.UNKNOWN || status.getDescription() != null) {
            return status.getCode() + ((status.getDescription() != null) ? ": " + status.getDescription() : "");
        }
        return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
