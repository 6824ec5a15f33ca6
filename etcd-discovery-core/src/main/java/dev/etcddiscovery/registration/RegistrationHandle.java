package dev.etcddiscovery.registration;

import java.util.concurrent.CompletableFuture;

/**
 * One endpoint registered by {@link EtcdServiceRegistry}: kept in etcd under a lease until closed.
 */
public interface RegistrationHandle extends AutoCloseable {

    /** The etcd key of the endpoint. */
    String key();

    /** The current state and counters. */
    RegistrationSnapshot snapshot();

    /**
     * Stops keeping the endpoint alive and revokes its lease, which deletes the key. The future completes when etcd
     * answered or the request timed out; it never completes exceptionally.
     */
    CompletableFuture<Void> closeAsync();

    /** Deregisters and waits until etcd answered or the request timed out. */
    @Override
    void close();
}
