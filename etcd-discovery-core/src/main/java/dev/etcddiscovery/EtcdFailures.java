package dev.etcddiscovery;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Turns the failure of a bounded jetcd call into a short reason for logs and statuses. */
public final class EtcdFailures {

    private EtcdFailures() {
    }

    /** The failure itself, not the {@link CompletionException} a dependent stage wraps it in. */
    public static Throwable unwrap(Throwable error) {
        return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
    }

    /**
     * "etcd did not answer within ..." for a call that hit {@code requestTimeout} (jetcd waits for etcd forever),
     * else the failure's own message.
     */
    public static String describe(Throwable error, Duration requestTimeout) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return "etcd did not answer within " + requestTimeout;
        }
        return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
