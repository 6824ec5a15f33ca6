package dev.etcddiscovery.registration;

import java.time.Duration;

/**
 * What is registered: one endpoint of one service, as etcd's naming scheme stores it under
 * {@code <namespace><service>/<address>}.
 *
 * @param service the service name, e.g. {@code greeter}
 * @param address {@code host:port} clients connect to (IPv6 hosts in brackets)
 * @param metadata the endpoint's {@code "Metadata"} value: null, a map (JSON object) or a string
 * @param ttl the lease time-to-live, in whole seconds of at least one second
 */
public record EndpointRegistration(String service, String address, Object metadata, Duration ttl) {

    public EndpointRegistration {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address of service '" + service + "' must not be blank");
        }
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease TTL of '" + service + "/" + address
                    + "' must be at least 1s (etcd counts leases in whole seconds), was " + ttl);
        }
    }

    /** The etcd key under the given namespace prefix. */
    public String key(String namespace) {
        return namespace + this.service + "/" + this.address;
    }

    /** The TTL in whole seconds, rounded up, as etcd grants it. */
    long ttlSeconds() {
        long seconds = this.ttl.getSeconds();
        return (this.ttl.getNano() > 0) ? seconds + 1 : seconds;
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    public static String address(String host, int port) {
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }
}
