package dev.etcddiscovery.registration;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.etcddiscovery.registration.HostAddressDetector.Candidate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What the detector picks; nothing is ever sent to the picked addresses.
 */
class HostAddressDetectorTest {

    private final HostAddressDetector detector = new HostAddressDetector();

    @Test
    void prefersSiteLocalAddressOverOthersAndSkipsBridgesAndLoopback() throws Exception {
        List<Candidate> interfaces = List.of(
                candidate("lo", 1, true, "127.0.0.1"),
                candidate("docker0", 2, false, "172.17.0.1"),
                candidate("eth0", 3, false, "203.0.113.7"),
                candidate("veth12ab", 4, false, "10.88.0.1"),
                candidate("eth1", 5, false, "fe80::1", "192.168.1.20"));

        assertThat(this.detector.detect(interfaces).getHostAddress()).isEqualTo("192.168.1.20");
    }

    @Test
    void takesLowestIndexWhenSeveralSiteLocalAddressesExist() throws Exception {
        List<Candidate> interfaces = List.of(candidate("eth1", 7, false, "10.1.0.2"),
                candidate("eth0", 3, false, "10.0.0.2"));

        assertThat(this.detector.detect(interfaces).getHostAddress()).isEqualTo("10.0.0.2");
    }

    @Test
    void fallsBackToAnyNonLoopbackIpv4WithoutSiteLocal() throws Exception {
        List<Candidate> interfaces = List.of(candidate("lo", 1, true, "127.0.0.1"),
                candidate("eth0", 2, false, "fe80::1", "192.0.2.2"));

        assertThat(this.detector.detect(interfaces).getHostAddress()).isEqualTo("192.0.2.2");
    }

    @Test
    void skipsInterfacesThatAreDownOrVirtual() throws Exception {
        List<Candidate> interfaces = List.of(
                new Candidate("eth0", 2, false, false, false, List.of(InetAddress.getByName("10.0.0.1"))),
                new Candidate("eth0:1", 3, true, false, true, List.of(InetAddress.getByName("10.0.0.2"))),
                candidate("eth1", 4, false, "10.0.0.3"));

        assertThat(this.detector.detect(interfaces).getHostAddress()).isEqualTo("10.0.0.3");
    }

    /** A host whose only address besides loopback is IPv6 registers that address, not a loopback one. */
    @Test
    void ipv6OnlyHostRegistersItsIpv6AddressInBrackets() throws Exception {
        List<Candidate> interfaces = List.of(candidate("lo", 1, true, "127.0.0.1", "::1"),
                new Candidate("eth0", 2, true, false, false, List.of(InetAddress.getByName("fe80::1"),
                        Inet6Address.getByAddress(null, InetAddress.getByName("2001:db8::5").getAddress(), 2))));
        HostAddressDetector detector = new HostAddressDetector(() -> interfaces, InetAddress::getHostName,
                Duration.ofSeconds(1));

        String host = detector.detectHost(true);

        assertThat(InetAddress.getByName(host)).isEqualTo(InetAddress.getByName("2001:db8::5"));
        assertThat(EndpointRegistration.address(host, 9090)).isEqualTo("[" + host + "]:9090").doesNotContain("%");
    }

    @Test
    void ipv4WinsOverIpv6AndUniqueLocalIpv6OverGlobal() throws Exception {
        assertThat(this.detector.detect(List.of(candidate("eth0", 2, false, "2001:db8::5", "fd00::2", "192.0.2.2"))))
            .isEqualTo(InetAddress.getByName("192.0.2.2"));
        assertThat(this.detector.detect(List.of(candidate("eth0", 2, false, "2001:db8::5", "fd00::2"))))
            .isEqualTo(InetAddress.getByName("fd00::2"));
    }

    /** A reverse lookup that never answers (a DNS server that drops queries) cannot hold the start. */
    @Test
    void reverseLookupThatDoesNotAnswerFallsBackToTheIpAddress() throws Exception {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        List<Candidate> interfaces = List.of(candidate("eth0", 2, false, "10.0.0.7"));
        HostAddressDetector detector = new HostAddressDetector(() -> interfaces, (address) -> {
            awaitQuietly(dnsAnswers);
            return "late.example";
        }, Duration.ofMillis(200));
        try {
            String host = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> detector.detectHost(false));
            assertThat(host).isEqualTo("10.0.0.7");
        }
        finally {
            dnsAnswers.countDown();
        }
    }

    @Test
    void hostNameOfTheDetectedAddressWhenIpAddressesAreNotPreferred() throws Exception {
        List<Candidate> interfaces = List.of(candidate("eth0", 2, false, "10.0.0.7"));
        HostAddressDetector detector = new HostAddressDetector(() -> interfaces,
                (address) -> address.getHostAddress().equals("10.0.0.7") ? "app-7.example" : "?", Duration.ofSeconds(5));

        assertThat(detector.detectHost(false)).isEqualTo("app-7.example");
        assertThat(detector.detectHost(true)).isEqualTo("10.0.0.7");
    }

    @Test
    void onThisMachinePicksAnAddressOfAnUpNonLoopbackInterface() throws Exception {
        String host = this.detector.detectHost(true);
        InetAddress picked = InetAddress.getByName(host);

        if (NetworkInterface.networkInterfaces().anyMatch(HostAddressDetectorTest::upWithIpv4)) {
            assertThat(picked.isLoopbackAddress()).isFalse();
            NetworkInterface owner = NetworkInterface.getByInetAddress(picked);
            assertThat(owner).isNotNull();
            assertThat(owner.isUp()).isTrue();
            assertThat(owner.getName()).doesNotStartWith("docker").doesNotStartWith("veth");
        }
    }

    private static boolean upWithIpv4(NetworkInterface ifc) {
        try {
            return ifc.isUp() && !ifc.isLoopback()
                    && ifc.inetAddresses().anyMatch((address) -> address instanceof Inet4Address);
        }
        catch (SocketException ex) {
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Candidate candidate(String name, int index, boolean loopback, String... addresses)
            throws Exception {
        List<InetAddress> parsed = new ArrayList<>();
        for (String address : addresses) {
            parsed.add(InetAddress.getByName(address));
        }
        return new Candidate(name, index, true, loopback, false, parsed);
    }
}
