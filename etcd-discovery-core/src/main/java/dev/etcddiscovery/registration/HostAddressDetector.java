package dev.etcddiscovery.registration;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the address this machine is reached at, the way Spring Cloud's {@code InetUtils} does: the IPv4 address
 * of the up, non-loopback, non-virtual interface with the lowest index, skipping container and VM bridges
 * ({@code docker0}, {@code veth*}, {@code br-*}, ...). A site-local address (10/8, 172.16/12, 192.168/16) wins
 * over any other; when none fits, {@link InetAddress#getLocalHost()}.
 */
public class HostAddressDetector {

    private static final Logger logger = LoggerFactory.getLogger(HostAddressDetector.class);

    /** Interfaces of container runtimes, VM hosts and CNI plugins: their addresses are not reachable from peers. */
    private static final Pattern IGNORED_INTERFACES = Pattern
        .compile("docker.*|veth.*|br-.*|virbr.*|vmnet.*|vboxnet.*|cni.*|flannel.*|cali.*|kube-ipvs.*|lxc.*|lxdbr.*");

    /** The host to register: the detected IP address, or its host name when {@code preferIpAddress} is false. */
    public String detectHost(boolean preferIpAddress) {
        InetAddress address = detect(networkInterfaces());
        String host = preferIpAddress ? address.getHostAddress() : address.getHostName();
        logger.debug("Detected host {} for etcd registration", host);
        return host;
    }

    /** The best address among {@code interfaces}. */
    InetAddress detect(List<Candidate> interfaces) {
        List<Candidate> usable = interfaces.stream()
            .filter((candidate) -> candidate.up() && !candidate.loopback() && !candidate.virtual())
            .filter((candidate) -> !IGNORED_INTERFACES.matcher(candidate.name()).matches())
            .sorted(Comparator.comparingInt(Candidate::index))
            .toList();
        return firstAddress(usable, InetAddress::isSiteLocalAddress)
            .or(() -> firstAddress(usable, (address) -> !address.isLinkLocalAddress()))
            .orElseGet(HostAddressDetector::localHost);
    }

    private static Optional<InetAddress> firstAddress(List<Candidate> interfaces, Predicate<InetAddress> wanted) {
        return interfaces.stream()
            .flatMap((candidate) -> candidate.addresses().stream())
            .filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
            .filter(wanted)
            .findFirst();
    }

    private static List<Candidate> networkInterfaces() {
        try {
            return NetworkInterface.networkInterfaces().map(HostAddressDetector::candidate).toList();
        }
        catch (SocketException ex) {
            logger.warn("Could not list network interfaces ({}); falling back to the local host address",
                    ex.getMessage());
            return List.of();
        }
    }

    private static Candidate candidate(NetworkInterface ifc) {
        try {
            return new Candidate(ifc.getName(), ifc.getIndex(), ifc.isUp(), ifc.isLoopback(), ifc.isVirtual(),
                    ifc.inetAddresses().toList());
        }
        catch (SocketException ex) {
            return new Candidate(ifc.getName(), ifc.getIndex(), false, false, false, List.of());
        }
    }

    private static InetAddress localHost() {
        try {
            return InetAddress.getLocalHost();
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("Could not find an address to register in etcd; set "
                    + "etcd.discovery.registration.host", ex);
        }
    }

    /** What the detector needs to know about one network interface. */
    record Candidate(String name, int index, boolean up, boolean loopback, boolean virtual,
            List<InetAddress> addresses) {
    }
}
