package dev.etcddiscovery.resolver;

import java.util.List;

import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;

/** Keeps the last list and error a {@link PrefixWatch} handed out. */
final class Recorder implements PrefixWatch.Subscriber {

    volatile List<EquivalentAddressGroup> endpoints;

    volatile Status error;

    @Override
    public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void onError(Status error) {
        this.error = error;
    }
}
