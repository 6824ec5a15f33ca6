package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.grpc.EquivalentAddressGroup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Tag("library-versions")
class EndpointParserTest {

    private final EndpointParser parser = new EndpointParser(null);

    @Test
    void readsTheSeedShapeWithStringMetadata() throws Exception {
        Endpoint endpoint = parse(this.parser, "my-service/1.2.3.4:80", "{\"Addr\":\"1.2.3.4:80\",\"Metadata\":\"...\"}");
        assertThat(addresses(endpoint)).containsExactly(address("1.2.3.4", 80));
        assertThat(endpoint.attributes().get(EtcdAttributes.METADATA)).isEqualTo("...");
        assertThat(endpoint.attributes().get(EtcdAttributes.ETCD_KEY))
            .isEqualTo("my-service/1.2.3.4:80");
    }

    @Test
    void readsTheGoEndpointsShapeIgnoringOpAndUnknownFields() throws Exception {
        Endpoint endpoint = parse(this.parser, "greeter/10.0.0.5:9090",
                "{\"Op\":1,\"Addr\":\"10.0.0.5:9090\",\"Metadata\":{\"zone\":\"a\",\"weight\":3},\"Extra\":true}");
        assertThat(addresses(endpoint)).containsExactly(address("10.0.0.5", 9090));
        assertThat(endpoint.attributes().get(EtcdAttributes.METADATA))
            .isEqualTo(Map.of("zone", "a", "weight", 3));
    }

    @Test
    void nullOrMissingMetadataLeavesTheAttributeOut() throws Exception {
        assertThat(metadataOf("{\"Op\":0,\"Addr\":\"1.2.3.4:1\",\"Metadata\":null}")).isNull();
        assertThat(metadataOf("{\"Addr\":\"1.2.3.4:1\"}")).isNull();
        assertThat(metadataOf("{\"Addr\":\"1.2.3.4:1\",\"Metadata\":[1,\"x\"]}")).isEqualTo(List.of(1, "x"));
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyLikeGo() throws Exception {
        Endpoint endpoint = parse(this.parser, "svc/a", "{\"addr\":\"1.2.3.4:7\",\"metadata\":\"m\"}");
        assertThat(addresses(endpoint)).containsExactly(address("1.2.3.4", 7));
        assertThat(endpoint.attributes().get(EtcdAttributes.METADATA)).isEqualTo("m");
    }

    @Test
    void theLastMatchingFieldWinsAndUnknownNestedFieldsAreSkippedLikeGo() throws Exception {
        Endpoint endpoint = parse(this.parser, "svc/a", "{\"Addr\":\"1.2.3.4:7\",\"Extra\":{\"Addr\":[\"x\",{}]},"
                + "\"ADDR\":\"5.6.7.8:9\",\"Metadata\":{\"zone\":{\"name\":\"a\"}}}");
        assertThat(addresses(endpoint)).containsExactly(address("5.6.7.8", 9));
        assertThat(endpoint.attributes().get(EtcdAttributes.METADATA)).isEqualTo(Map.of("zone", Map.of("name", "a")));
    }

    @Test
    void readsBracketedIpv6AndBareIpv6WithTheDefaultPort() throws Exception {
        assertThat(addresses(parse(this.parser, "svc/a", "{\"Addr\":\"[::1]:9090\"}")))
            .containsExactly(address("::1", 9090));
        EndpointParser withDefault = new EndpointParser(50051);
        assertThat(addresses(parse(withDefault, "svc/b", "{\"Addr\":\"::1\"}")))
            .containsExactly(address("::1", 50051));
        assertThat(addresses(parse(withDefault, "svc/c", "{\"Addr\":\"[::1]\"}")))
            .containsExactly(address("::1", 50051));
    }

    @Test
    void leavesHostNamesToBeLookedUpLaterAndReadsIpAddressesAsTheyAre() throws Exception {
        Endpoint named = parse(this.parser, "svc/a", "{\"Addr\":\"localhost:9090\"}");
        assertThat(named.isHostName()).isTrue();
        assertThat(named.host()).isEqualTo("localhost");
        assertThat(named.port()).isEqualTo(9090);
        // not an IPv4 address, so a name: InetAddress would read it as one number or look it up
        assertThat(parse(this.parser, "svc/b", "{\"Addr\":\"999.1.1.1:80\"}").isHostName()).isTrue();
        assertThat(parse(this.parser, "svc/c", "{\"Addr\":\"10.0.0.255:80\"}").isHostName()).isFalse();
    }

    @Test
    void anAddressGroupHasEveryAddressOfTheHostWithThePortAndTheAttributes() throws Exception {
        Endpoint endpoint = parse(this.parser, "svc/a", "{\"Addr\":\"some-host:9090\",\"Metadata\":\"m\"}");
        EquivalentAddressGroup group = endpoint.addressGroup(
                List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2")));
        assertThat(group.getAddresses()).containsExactly(address("10.0.0.1", 9090), address("10.0.0.2", 9090));
        assertThat(group.getAttributes().get(EtcdAttributes.METADATA)).isEqualTo("m");
        assertThat(group.getAttributes().get(EtcdAttributes.ETCD_KEY)).isEqualTo("svc/a");
    }

    @Test
    void anAddrWithoutPortUsesTheDefaultPortOrIsRejected() throws Exception {
        assertThat(addresses(parse(new EndpointParser(8080), "my-service/1.2.3.4",
                "{\"Addr\":\"1.2.3.4\",\"Metadata\":\"...\"}"))).containsExactly(address("1.2.3.4", 8080));
        assertThatExceptionOfType(InvalidEndpointException.class)
            .isThrownBy(() -> parse(this.parser, "my-service/1.2.3.4", "{\"Addr\":\"1.2.3.4\",\"Metadata\":\"...\"}"))
            .withMessage("Skipping etcd key 'my-service/1.2.3.4': Addr '1.2.3.4' has no port and "
                    + "no defaultPort is set");
    }

    @Test
    void malformedValuesAreRejectedWithTheKeyAndTheProblem() {
        assertRejected("{not json", "svc/a", "is not valid JSON");
        assertRejected("\"1.2.3.4:80\"", "svc/a", "is not a JSON object");
        assertRejected("{\"Metadata\":\"x\"}", "svc/a", "no \"Addr\" string");
        assertRejected("{\"Addr\":42}", "svc/a", "no \"Addr\" string");
        assertRejected("{\"Addr\":{\"host\":\"1.2.3.4\"}}", "svc/a", "no \"Addr\" string");
        assertRejected("{\"Addr\":\"1.2.3.4:80\"", "svc/a", "is not valid JSON");
        assertRejected("", "svc/a", "is not a JSON object");
        assertRejected("{\"Addr\":\"1.2.3.4:http\"}", "svc/a", "port 'http' of Addr '1.2.3.4:http' is not a number");
        assertRejected("{\"Addr\":\"1.2.3.4:70000\"}", "svc/a", "port '70000'");
        assertRejected("{\"Addr\":\"[::1:80\"}", "svc/a", "no closing ']'");
        assertRejected("{\"Addr\":\":80\"}", "svc/a", "has no host");
        assertRejected("{\"Addr\":\"[1::2::3]:80\"}", "svc/a", "has an invalid IPv6 address");
        assertRejected("{\"Addr\":\"[fe80::1%no-such-interface]:80\"}", "svc/a", "has an invalid IPv6 address");
    }

    @Test
    void anInvalidDefaultPortIsAnErrorNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EndpointParser(0))
            .withMessageContaining("defaultPort");
    }

    private void assertRejected(String value, String key, String problem) {
        assertThatExceptionOfType(InvalidEndpointException.class).isThrownBy(() -> parse(this.parser, key, value))
            .withMessageStartingWith("Skipping etcd key '" + key + "': ")
            .withMessageContaining(problem);
    }

    private Object metadataOf(String value) throws Exception {
        return parse(this.parser, "svc/x", value).attributes().get(EtcdAttributes.METADATA);
    }

    private static List<java.net.SocketAddress> addresses(Endpoint endpoint) {
        assertThat(endpoint.isHostName()).isFalse();
        return endpoint.addressGroup(List.of(endpoint.ipAddress())).getAddresses();
    }

    private static Endpoint parse(EndpointParser parser, String key, String value) throws InvalidEndpointException {
        return parser.parse(key, value.getBytes(StandardCharsets.UTF_8), 1);
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }
}
