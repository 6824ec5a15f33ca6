package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The key to endpoint table of one prefix, without etcd: what each list, event and lookup answer changes. */
class EndpointTableTest {

    private final List<String> lookups = new ArrayList<>();

    private final EndpointTable table = table(AllowedNetworks.ANY);

    @Test
    void aPutAddsAnEndpointAndTheSameRevisionAgainChangesNothing() {
        assertThat(this.table.put("svc/a", value("10.0.0.1:80"), 5)).isTrue();
        assertThat(this.table.put("svc/a", value("10.0.0.1:80"), 5)).isFalse();
        assertThat(ports(this.table.addressGroups())).containsExactly(80);
    }

    @Test
    void aRewriteWithTheSameAddressKeepsTheAddressGroupItself() {
        this.table.put("svc/a", value("10.0.0.1:80"), 5);
        EquivalentAddressGroup before = this.table.addressGroups().get(0);
        assertThat(this.table.put("svc/a", value("10.0.0.1:80"), 6)).isFalse();
        assertThat(this.table.addressGroups().get(0)).isSameAs(before);
        assertThat(this.table.put("svc/a", value("10.0.0.1:81"), 7)).isTrue();
        assertThat(ports(this.table.addressGroups())).containsExactly(81);
    }

    @Test
    void aBadValueIsLeftOutCountedOnceAndTakesTheKeysEndpointAway() {
        this.table.put("svc/a", value("10.0.0.1:80"), 1);
        assertThat(this.table.put("svc/a", bytes("{not json"), 2)).isTrue();
        assertThat(this.table.addressGroups()).isEmpty();
        assertThat(this.table.put("svc/a", bytes("{not json"), 3)).isFalse();
        assertThat(this.table.malformedSkipped()).isOne();
        assertThat(this.table.put("svc/a", value("10.0.0.1:80"), 4)).isTrue();
    }

    @Test
    void aListReplacesEverythingAndForgetsKeysItNoLongerHas() {
        this.table.put("svc/a", value("10.0.0.1:80"), 1);
        this.table.put("svc/b", value("10.0.0.2:80"), 2);
        assertThat(this.table.replaceAll(List.of(kv("svc/b", "10.0.0.2:80", 2), kv("svc/c", "10.0.0.3:90", 3))))
            .isTrue();
        assertThat(ports(this.table.addressGroups())).containsExactly(80, 90);
        assertThat(this.table.replaceAll(List.of(kv("svc/b", "10.0.0.2:80", 2), kv("svc/c", "10.0.0.3:90", 3))))
            .isFalse();
    }

    @Test
    void watchEventsPutAndDelete() {
        this.table.put("svc/a", value("10.0.0.1:80"), 1);
        assertThat(this.table.apply(List.of(
                new WatchEvent(kv("svc/b", "10.0.0.2:81", 2), null, WatchEvent.EventType.PUT),
                new WatchEvent(kv("svc/a", "", 3), null, WatchEvent.EventType.DELETE)))).isTrue();
        assertThat(ports(this.table.addressGroups())).containsExactly(81);
        assertThat(this.table.remove("svc/nothing")).isFalse();
    }

    @Test
    void aHostNameIsLookedUpAndUsedOnceItResolves() throws Exception {
        assertThat(this.table.put("svc/a", value("late-host:80"), 1)).isFalse();
        assertThat(this.table.hasUsableEndpoints()).isFalse();
        assertThat(this.lookups).containsExactly("look up svc/a late-host");

        assertThat(this.table.resolved("svc/a", "late-host", List.of(ip("10.0.0.7")))).isTrue();
        assertThat(this.table.addressGroups()).singleElement().satisfies((group) -> assertThat(group.getAddresses())
            .containsExactly(new InetSocketAddress(ip("10.0.0.7"), 80)));
        // a rewrite to the same host keeps the addresses; another port is taken at once, without a lookup
        assertThat(this.table.put("svc/a", value("late-host:81"), 2)).isTrue();
        assertThat(ports(this.table.addressGroups())).containsExactly(81);
        assertThat(this.lookups).containsExactly("look up svc/a late-host");
    }

    @Test
    void anAnswerForAHostTheKeyNoLongerNamesIsIgnored() throws Exception {
        this.table.put("svc/a", value("old-host:80"), 1);
        this.table.put("svc/a", value("new-host:80"), 2);
        assertThat(this.table.resolved("svc/a", "old-host", List.of(ip("10.0.0.1")))).isFalse();
        assertThat(this.table.resolved("svc/gone", "new-host", List.of(ip("10.0.0.1")))).isFalse();
        assertThat(this.table.addressGroups()).isEmpty();
        assertThat(this.lookups).containsExactly("look up svc/a old-host", "look up svc/a new-host");
    }

    @Test
    void deletingOrReadingAnIpAddressStopsTheLookupOfTheKey() {
        this.table.put("svc/a", value("some-host:80"), 1);
        this.table.put("svc/a", value("10.0.0.1:80"), 2);
        this.table.put("svc/b", value("other-host:80"), 3);
        this.table.remove("svc/b");
        assertThat(this.lookups).containsExactly("look up svc/a some-host", "cancel svc/a", "look up svc/b other-host",
                "cancel svc/b");
    }

    @Test
    void theListIsInKeyOrderWhateverOrderKeysComeGoAndResolveIn() throws Exception {
        this.table.put("svc/c", value("10.0.0.3:83"), 1);
        this.table.put("svc/a", value("10.0.0.1:81"), 2);
        this.table.put("svc/b", value("10.0.0.2:82"), 3);
        this.table.put("svc/ab", value("later-host:84"), 4);
        assertThat(ports(this.table.addressGroups())).containsExactly(81, 82, 83);
        this.table.resolved("svc/ab", "later-host", List.of(ip("10.0.0.4")));
        assertThat(ports(this.table.addressGroups())).containsExactly(81, 84, 82, 83);
        this.table.remove("svc/b");
        this.table.put("svc/a", bytes("{not json"), 5);
        this.table.put("svc/c", value("10.0.0.3:85"), 6);
        assertThat(ports(this.table.addressGroups())).containsExactly(84, 85);
        this.table.replaceAll(List.of(kv("svc/a", "10.0.0.1:86", 7), kv("svc/d", "10.0.0.5:87", 8)));
        assertThat(ports(this.table.addressGroups())).containsExactly(86, 87);
        this.table.remove("svc/a");
        this.table.remove("svc/d");
        assertThat(this.table.hasUsableEndpoints()).isFalse();
    }

    @Test
    void anAddressOutsideTheAllowedNetworksIsLeftOutWithOneWarningPerKeyAndAddress() throws Exception {
        EndpointTable allowList = table(AllowedNetworks.of(List.of("10.0.0.0/24", "fd00::/8")));
        try (LogCapture log = new LogCapture()) {
            allowList.put("svc/inside", value("10.0.0.1:80"), 1);
            allowList.put("svc/v6", value("[fd00::1]:81"), 2);
            assertThat(allowList.put("svc/rogue", value("10.0.1.1:82"), 3)).isFalse();
            // a re-list and a rewrite of the same address: no second warning, still counted once
            allowList.replaceAll(List.of(kv("svc/inside", "10.0.0.1:80", 1), kv("svc/v6", "[fd00::1]:81", 2),
                    kv("svc/rogue", "10.0.1.1:82", 3)));
            allowList.put("svc/rogue", value("10.0.1.1:82"), 4);
            assertThat(ports(allowList.addressGroups())).containsExactly(80, 81);
            assertThat(allowList.outsideAllowedNetworks()).isOne();
            assertThat(allowList.rejectedOutsideAllowedNetworks()).isOne();
            assertThat(log.atLeast(Level.WARN)).singleElement().asString()
                .contains("'svc/rogue'", "10.0.1.1 port 82", "[10.0.0.0/24, fd00::/8]");

            assertThat(allowList.put("svc/rogue", value("10.0.0.2:82"), 5)).isTrue();
            assertThat(allowList.outsideAllowedNetworks()).isZero();
            assertThat(ports(allowList.addressGroups())).containsExactly(80, 82, 81);
        }
    }

    @Test
    void aHostNameIsCheckedByTheAddressesItResolvesTo() throws Exception {
        EndpointTable allowList = table(AllowedNetworks.of(List.of("10.0.0.0/24")));
        allowList.put("svc/a", value("mixed-host:80"), 1);
        assertThat(allowList.resolved("svc/a", "mixed-host", List.of(ip("192.168.0.1"), ip("10.0.0.3")))).isTrue();
        assertThat(allowList.addressGroups()).singleElement().satisfies((group) -> assertThat(group.getAddresses())
            .containsExactly(new InetSocketAddress(ip("10.0.0.3"), 80)));
        allowList.put("svc/b", value("outside-host:80"), 2);
        assertThat(allowList.resolved("svc/b", "outside-host", List.of(ip("192.168.0.2")))).isFalse();
        assertThat(allowList.outsideAllowedNetworks()).isOne();
        assertThat(allowList.addressGroups()).hasSize(1);
    }

    @Test
    void byDefaultLoopbackIsAllowedAndLinkLocalIsNot() {
        try (LogCapture log = new LogCapture()) {
            this.table.put("svc/loopback", value("127.0.0.1:80"), 1);
            this.table.put("svc/loopback6", value("[::1]:81"), 2);
            this.table.put("svc/metadata", value("169.254.169.254:80"), 3);
            this.table.put("svc/link-local6", value("[fe80::1]:80"), 4);
            assertThat(ports(this.table.addressGroups())).containsExactly(80, 81);
            assertThat(this.table.outsideAllowedNetworks()).isEqualTo(2);
            assertThat(log.atLeast(Level.WARN)).first()
                .asString()
                .contains("'svc/metadata' points at 169.254.169.254 port 80",
                        "outside the allowed networks [any address but link-local]");
        }
    }

    private EndpointTable table(AllowedNetworks allowedNetworks) {
        return new EndpointTable(new EndpointParser(null), new EndpointTable.HostLookup() {

            @Override
            public void lookUp(String key, String host) {
                EndpointTableTest.this.lookups.add("look up " + key + " " + host);
            }

            @Override
            public void cancel(String key) {
                EndpointTableTest.this.lookups.add("cancel " + key);
            }
        }, allowedNetworks);
    }

    private static List<Integer> ports(List<EquivalentAddressGroup> groups) {
        return groups.stream().map((group) -> ((InetSocketAddress) group.getAddresses().get(0)).getPort()).toList();
    }

    private static KeyValue kv(String key, String addr, long modRevision) {
        return new KeyValue(io.etcd.jetcd.api.KeyValue.newBuilder()
            .setKey(ByteString.copyFromUtf8(key))
            .setValue(ByteString.copyFrom(value(addr).getBytes()))
            .setModRevision(modRevision)
            .build(), ByteSequence.EMPTY);
    }

    private static ByteSequence value(String addr) {
        return bytes("{\"Addr\":\"" + addr + "\"}");
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
