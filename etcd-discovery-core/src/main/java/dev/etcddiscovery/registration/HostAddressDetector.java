package dev.etcddiscovery.registration;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the address this machine is reached at, the way Spring Cloud's {@code InetUtils} does: an address of the
 * up, non-loopback, non-virtual interface with the lowest index, skipping container and VM bridges
 * ({@code docker0}, {@code veth*}, {@code br-*}, ...). In this order: a site-local IPv4 address (10/8, 172.16/12,
 * 192.168/16), any other IPv4 address, a unique-local IPv6 address (fc00::/7), any other IPv6 address; link-local
 * addresses never. Only when no interface has one, {@link InetAddress#getLocalHost()}, with a warning if that is a
 * loopback address, which no other host can reach.
 * <p>
 * The host name of the address (when IP addresses are not preferred) comes from a reverse DNS lookup bounded by a
 * timeout; when it does not answer in time or finds no name, the IP address is registered, with a warning.
 */
public class HostAddressDetector {

    private static final Logger logger = LoggerFactory.getLogger(HostAddressDetector.class);

    /** How long a reverse DNS lookup of the detected address may take at startup. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    /** Interfaces of container runtimes, VM hosts and CNI plugins: their addresses are not reachable from peers. */
    private static final Pattern IGNORED_INTERFACES = Pattern
        .compile("docker.*|veth.*|br-.*|virbr.*|vmnet.*|vboxnet.*|cni.*|flannel.*|cali.*|kube-ipvs.*|lxc.*|lxdbr.*");

    private static final String HOST_HINT = "pass the host to register instead of detecting it";

    /** How a user of this detector sets the host instead, in the messages that ask for it. */
    private final String hostHint;

    private final Supplier<List<Candidate>> interfaces;

    private final Function<InetAddress, String> reverseLookup;

    private final Duration lookupTimeout;

    public HostAddressDetector() {
        this(HOST_HINT);
    }

    /**
     * @param hostHint how the application sets the host instead of detecting it, for the messages that ask for it
     * (a Spring application names its property, e.g. "set etcd.discovery.registration.host")
     */
    public HostAddressDetector(String hostHint) {
        this(HostAddressDetector::networkInterfaces, InetAddress::getHostName, DEFAULT_LOOKUP_TIMEOUT, hostHint);
    }

    /**
     * @param interfaces the network interfaces of this machine
     * @param reverseLookup the host name of an address, or its IP address when it has none
     * @param lookupTimeout how long the reverse lookup may take
     */
    HostAddressDetector(Supplier<List<Candidate>> interfaces, Function<InetAddress, String> reverseLookup,
            Duration lookupTimeout) {
        this(interfaces, reverseLookup, lookupTimeout, HOST_HINT);
    }

    private HostAddressDetector(Supplier<List<Candidate>> interfaces, Function<InetAddress, String> reverseLookup,
            Duration lookupTimeout, String hostHint) {
        this.hostHint = hostHint;
        this.interfaces = interfaces;
        this.reverseLookup = reverseLookup;
        this.lookupTimeout = lookupTimeout;
    }

    /**
     * The host to register: the detected IP address (an IPv6 address without brackets or scope), or its host name
     * when {@code preferIpAddress} is false.
     */
    public String detectHost(boolean preferIpAddress) {
        InetAddress address = detect(this.interfaces.get());
        String ip = ipAddress(address);
        String host = preferIpAddress ? ip : hostName(address, ip);
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
        return firstAddress(usable, (address) -> address instanceof Inet4Address && address.isSiteLocalAddress())
            .or(() -> firstAddress(usable, (address) -> address instanceof Inet4Address))
            .or(() -> firstAddress(usable, HostAddressDetector::isUniqueLocalIpv6))
            .or(() -> firstAddress(usable, (address) -> address instanceof Inet6Address))
            .orElseGet(this::localHost);
    }

    private static Optional<InetAddress> firstAddress(List<Candidate> interfaces, Predicate<InetAddress> wanted) {
        return interfaces.stream()
            .flatMap((candidate) -> candidate.addresses().stream())
            .filter((address) -> !address.isLoopbackAddress() && !address.isLinkLocalAddress()
                    && !address.isAnyLocalAddress() && !address.isMulticastAddress())
            .filter(wanted)
            .findFirst();
    }

    private static boolean isUniqueLocalIpv6(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** The address as text; the scope of an IPv6 address is only meaningful on this host. */
    private static String ipAddress(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return (scope >= 0) ? text.substring(0, scope) : text;
    }

    private String hostName(InetAddress address, String ip) {
        CompletableFuture<String> lookup = CompletableFuture.supplyAsync(() -> this.reverseLookup.apply(address),
                (task) -> {
                    Thread thread = new Thread(task, "etcd-registration-host-lookup");
                    thread.setDaemon(true);
                    thread.start();
                });
        try {
            String name = lookup.get(this.lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (name == null || name.isBlank() || ipAddress(address).equals(name)) {
                logger.warn("No host name found for {} (preferIpAddress=false); registering the IP address. To "
                        + "register a name, {}", ip, this.hostHint);
                return ip;
            }
            return name;
        }
        catch (TimeoutException ex) {
            logger.warn("The reverse DNS lookup of {} did not answer within {} (preferIpAddress=false); registering "
                    + "the IP address. To register a name, {}", ip, this.lookupTimeout, this.hostHint);
        }
        catch (ExecutionException ex) {
            logger.warn("The reverse DNS lookup of {} failed ({}); registering the IP address. To register a name, "
                    + "{}", ip, ex.getCause(), this.hostHint);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return ip;
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

    private InetAddress localHost() {
        InetAddress address;
        try {
            address = InetAddress.getLocalHost();
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("Could not find an address to register in etcd: no network interface "
                    + "has one and the local host name does not resolve; " + this.hostHint, ex);
        }
        if (address.isLoopbackAddress()) {
            logger.warn("No network interface has an address other hosts can reach; registering the loopback "
                    + "address {}, so only clients on this host can call this server. To be reachable, {}",
                    address.getHostAddress(), this.hostHint);
        }
        return address;
    }

    /** What the detector needs to know about one network interface. */
    record Candidate(String name, int index, boolean up, boolean loopback, boolean virtual,
            List<InetAddress> addresses) {
    }
}
