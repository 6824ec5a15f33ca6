package dev.etcddiscovery.test;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Cluster;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.Watch;

/**
 * A jetcd {@link Client} that forwards every method to the client it wraps: extend it and override only what a test
 * changes (stamping a call, standing in for a user's own {@code Client} that is not jetcd's). {@link #close()}
 * closes the wrapped client.
 */
public abstract class ForwardingClient implements Client {

    private final Client delegate;

    protected ForwardingClient(Client delegate) {
        this.delegate = delegate;
    }

    /** The client this one forwards to. */
    protected final Client delegate() {
        return this.delegate;
    }

    @Override
    public Auth getAuthClient() {
        return this.delegate.getAuthClient();
    }

    @Override
    public KV getKVClient() {
        return this.delegate.getKVClient();
    }

    @Override
    public Cluster getClusterClient() {
        return this.delegate.getClusterClient();
    }

    @Override
    public Maintenance getMaintenanceClient() {
        return this.delegate.getMaintenanceClient();
    }

    @Override
    public Lease getLeaseClient() {
        return this.delegate.getLeaseClient();
    }

    @Override
    public Watch getWatchClient() {
        return this.delegate.getWatchClient();
    }

    @Override
    public Lock getLockClient() {
        return this.delegate.getLockClient();
    }

    @Override
    public Election getElectionClient() {
        return this.delegate.getElectionClient();
    }

    @Override
    public void close() {
        this.delegate.close();
    }
}
