package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Looks up the addresses of a host name in an endpoint's {@code Addr}. The resolver calls it on its own small
 * lookup pool, never on jetcd's or gRPC's threads, and stops waiting for it after the request timeout.
 */
@FunctionalInterface
public interface HostResolver {

    /** The JVM's resolver: {@link InetAddress#getAllByName(String)}, with the JVM's DNS cache. */
    HostResolver SYSTEM = (host) -> List.of(InetAddress.getAllByName(host));

    /**
     * Every address of {@code host}.
     * @throws UnknownHostException if the name does not resolve (now: it is tried again later)
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
