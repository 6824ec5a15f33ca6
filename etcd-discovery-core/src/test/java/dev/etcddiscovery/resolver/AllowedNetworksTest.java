package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which addresses a list of networks allows, and the errors of values that are not networks. */
class AllowedNetworksTest {

    @Test
    void ipv4AndIpv6NetworksContainTheirAddressesOnly() throws Exception {
        AllowedNetworks networks = AllowedNetworks.of(List.of("10.1.0.0/16", "192.168.7.0/28", "fd00::/8", "2001:db8::5"));
        assertThat(networks.allows(ip("10.1.200.3"))).isTrue();
        assertThat(networks.allows(ip("10.2.0.1"))).isFalse();
        assertThat(networks.allows(ip("192.168.7.15"))).isTrue();
        assertThat(networks.allows(ip("192.168.7.16"))).isFalse();
        assertThat(networks.allows(ip("fd12::1"))).isTrue();
        assertThat(networks.allows(ip("fe80::1"))).isFalse();
        assertThat(networks.allows(ip("2001:db8::5"))).isTrue();
        assertThat(networks.allows(ip("2001:db8::6"))).isFalse();
        // a list names exactly what it allows: loopback too
        assertThat(networks.allows(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Address() throws Exception {
        assertThat(AllowedNetworks.of(List.of("10.0.0.0/8")).allows(ip("::ffff:10.0.0.1"))).isTrue();
    }

    @Test
    void theDefaultAllowsEverythingButLinkLocal() throws Exception {
        assertThat(AllowedNetworks.of(List.of())).isSameAs(AllowedNetworks.ANY);
        assertThat(AllowedNetworks.ANY.allows(ip("127.0.0.1"))).isTrue();
        assertThat(AllowedNetworks.ANY.allows(ip("::1"))).isTrue();
        assertThat(AllowedNetworks.ANY.allows(ip("203.0.113.9"))).isTrue();
        assertThat(AllowedNetworks.ANY.allows(ip("169.254.169.254"))).isFalse();
        assertThat(AllowedNetworks.ANY.allows(ip("fe80::1"))).isFalse();
        // listed explicitly, link-local is allowed
        assertThat(AllowedNetworks.of(List.of("169.254.0.0/16")).allows(ip("169.254.169.254"))).isTrue();
    }

    @Test
    void aValueThatIsNotANetworkIsNamedInTheError() {
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.0/8", "10.0.0/8")))
            .withMessageContaining("'10.0.0/8' is not a network in CIDR notation")
            .withMessageContaining("not an IP address");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.0/33")))
            .withMessageContaining("'10.0.0.0/33'")
            .withMessageContaining("from 0 to 32");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedNetworks.of(List.of("fd00::/x")))
            .withMessageContaining("from 0 to 128");
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedNetworks.of(List.of("some-host/8")))
            .withMessageContaining("'some-host' is not an IP address");
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
