package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import com.google.common.net.InetAddresses;

/**
 * The networks an endpoint read from etcd may point into; an address outside them is never handed to gRPC. It
 * limits where a key written by someone who should not write it (a "poisoned" key) can send a client's calls, for
 * fleets that cannot use TLS between services everywhere.
 * <p>
 * {@link #ANY}, the default, allows every address except link-local ones ({@code 169.254.0.0/16}, {@code fe80::/10}):
 * no server registers there, and a cloud's metadata service (169.254.169.254) does. Loopback stays allowed so that a
 * fleet on one host (tests, demos) works as it is. A list of networks allows exactly those: loopback and link-local
 * only when a listed network contains them.
 */
public final class AllowedNetworks {

    /** Every address except link-local ones. */
    public static final AllowedNetworks ANY = new AllowedNetworks(List.of());

    private final List<Network> networks;

    private AllowedNetworks(List<Network> networks) {
        this.networks = networks;
    }

    /**
     * The networks in CIDR notation, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a
     * network of that address alone. No networks means {@link #ANY}.
     * @throws IllegalArgumentException naming the first value that is not a network
     */
    public static AllowedNetworks of(List<String> cidrs) {
        List<Network> networks = new ArrayList<>();
        for (String cidr : cidrs) {
            networks.add(Network.parse(cidr));
        }
        return networks.isEmpty() ? ANY : new AllowedNetworks(List.copyOf(networks));
    }

    /** Whether an endpoint may point at {@code address}. */
    public boolean allows(InetAddress address) {
        if (this.networks.isEmpty()) {
            return !address.isLinkLocalAddress();
        }
        for (Network network : this.networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return this.networks.isEmpty() ? "[any address but link-local]"
                : this.networks.stream().map(Network::toString).toList().toString();
    }

    /** One network: its first address and how many leading bits an address must share with it. */
    private record Network(byte[] base, int prefixLength, String text) {

        static Network parse(String cidr) {
            String value = (cidr != null) ? cidr.trim() : "";
            int slash = value.indexOf('/');
            String address = (slash < 0) ? value : value.substring(0, slash);
            if (!InetAddresses.isInetAddress(address)) {
                throw invalid(cidr, "'" + address + "' is not an IP address");
            }
            byte[] base = InetAddresses.forString(address).getAddress();
            int bits = base.length * 8;
            int prefixLength = bits;
            if (slash >= 0) {
                try {
                    prefixLength = Integer.parseInt(value.substring(slash + 1));
                }
                catch (NumberFormatException ex) {
                    prefixLength = -1;
                }
                if (prefixLength < 0 || prefixLength > bits) {
                    throw invalid(cidr, "the prefix length must be a number from 0 to " + bits);
                }
            }
            return new Network(base, prefixLength, value);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != this.base.length) {
                return false;
            }
            int full = this.prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != this.base[i]) {
                    return false;
                }
            }
            int rest = this.prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (this.base[full] & mask);
        }

        private static IllegalArgumentException invalid(String cidr, String problem) {
            return new IllegalArgumentException("'" + cidr + "' is not a network in CIDR notation (e.g. 10.0.0.0/8 "
                    + "or fd00::/8): " + problem);
        }

        @Override
        public String toString() {
            return this.text;
        }
    }
}
