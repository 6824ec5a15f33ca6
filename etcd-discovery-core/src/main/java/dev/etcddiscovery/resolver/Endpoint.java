package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;

/**
 * One endpoint read from etcd: its key, the revision it was written at, where it listens and the attributes its
 * address group carries. An IP address in {@code Addr} is read as it is; a host name is looked up later, off the
 * thread that reads etcd's answers ({@link HostLookups}).
 *
 * @param key the etcd key, e.g. {@code greeter/10.0.0.5:9090}
 * @param modRevision the etcd revision of the key's last write
 * @param host the host of {@code Addr} as written: an IP address or a host name
 * @param port the port of {@code Addr}, or the default port
 * @param ipAddress {@code host} as an IP address, or {@code null} when it is a host name to look up
 * @param attributes the {@link EtcdAttributes} of the endpoint's address group
 */
record Endpoint(String key, long modRevision, String host, int port, InetAddress ipAddress,
        Attributes attributes) {

    /** Whether {@code host} is a name that must be looked up before the endpoint can be used. */
    boolean isHostName() {
        return this.ipAddress == null;
    }

    /** The address group handed to gRPC: {@code addresses}, each with this endpoint's port, and its attributes. */
    EquivalentAddressGroup addressGroup(List<InetAddress> addresses) {
        List<SocketAddress> socketAddresses = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            socketAddresses.add(new InetSocketAddress(address, this.port));
        }
        return new EquivalentAddressGroup(socketAddresses, this.attributes);
    }
}
