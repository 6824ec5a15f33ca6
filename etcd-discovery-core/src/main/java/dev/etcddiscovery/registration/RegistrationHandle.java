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
     * Takes the endpoint out of rotation ({@link RegistrationStatus#OUT_OF_SERVICE}: its key is deleted, its lease
     * kept alive) or puts it back ({@link RegistrationStatus#UP}). Returns at once; etcd follows in the background,
     * and the status holds across lost leases and etcd restarts until changed again.
     */
    void setStatus(RegistrationStatus status);

    /**
     * Stops keeping the endpoint alive and revokes its lease, which deletes the key. The future completes when etcd
     * answered or the request timed out; it never completes exceptionally.
     */
    CompletableFuture<Void> closeAsync();

    /** Deregisters and waits until etcd answered or the request timed out. */
    @Override
    void close();
}
