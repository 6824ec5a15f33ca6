package dev.etcddiscovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * etcd did not answer at startup while {@code etcd.discovery.fail-fast=true}. Names the endpoints and the deadline,
 * never credentials.
 */
public class EtcdUnavailableException extends RuntimeException {

    private final List<URI> endpoints;

    EtcdUnavailableException(List<URI> endpoints, Duration timeout, Throwable cause) {
        super("etcd did not answer at " + endpoints + " within " + timeout + " (etcd.discovery.request-timeout): "
                + describe(cause), cause);
        this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoints that were tried. */
    public List<URI> getEndpoints() {
        return this.endpoints;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
    }
}
