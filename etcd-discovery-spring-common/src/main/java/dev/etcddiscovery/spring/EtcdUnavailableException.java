package dev.etcddiscovery.spring;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.NestedExceptionUtils;

/**
 * etcd could not be used at startup while {@code etcd.discovery.fail-fast=true}: it did not answer in time, or it
 * refused the request (e.g. wrong credentials). Names the endpoints and the deadline, never credentials.
 */
public class EtcdUnavailableException extends RuntimeException {

    private final List<URI> endpoints;

    EtcdUnavailableException(List<URI> endpoints, Duration timeout, Throwable cause) {
        super(message(endpoints, timeout, cause), cause);
        this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoints that were tried. */
    public List<URI> getEndpoints() {
        return this.endpoints;
    }

    private static String format(Duration duration) {
        boolean wholeSeconds = duration.toMillis() % 1000 == 0;
        return DurationStyle.SIMPLE.print(duration, wholeSeconds ? ChronoUnit.SECONDS : ChronoUnit.MILLIS);
    }

    private static String message(List<URI> endpoints, Duration timeout, Throwable cause) {
        if (cause instanceof TimeoutException) {
            // jetcd waits for a ready connection, so a refused TLS handshake also ends here, without its own error
            return "etcd at " + endpoints + " did not answer within " + format(timeout)
                    + " (etcd.discovery.request-timeout): it is stopped or unreachable, or it rejected the connection"
                    + " (with TLS: check the trusted CA and the client certificate)";
        }
        Throwable specific = NestedExceptionUtils.getMostSpecificCause(cause);
        return "etcd at " + endpoints + " refused the startup check: " + specific.getClass().getSimpleName()
                + ((specific.getMessage() != null) ? ": " + specific.getMessage() : "");
    }
}
