package dev.etcddiscovery.spring;

import java.net.URI;
import java.util.List;

/** {@link EtcdConnectionDetails#of(List)}: endpoints only, so its {@code toString()} has nothing to hide. */
record FixedEtcdConnectionDetails(List<URI> endpoints) implements EtcdConnectionDetails {

    @Override
    public List<URI> getEndpoints() {
        return this.endpoints;
    }
}
