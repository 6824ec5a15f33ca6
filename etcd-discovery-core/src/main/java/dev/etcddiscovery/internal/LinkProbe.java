package dev.etcddiscovery.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Proves that etcd answers through the connection a watch runs on, for a watch that cannot answer progress requests
 * (see {@link WatchLiveness}).
 */
@FunctionalInterface
public interface LinkProbe {

    /** A client whose link cannot be probed: every probe fails, so only progress answers keep a watch. */
    LinkProbe NONE = () -> CompletableFuture.failedFuture(new IllegalStateException("no probe of etcd's link"));

    /** Completes normally once etcd answered, exceptionally when it did not within the probe's deadline. */
    CompletableFuture<?> probe();
}
