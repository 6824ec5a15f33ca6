package dev.etcddiscovery.resolver;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import io.grpc.EquivalentAddressGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The usable groups in key order, however the keys come, go and change between reads. */
class KeyOrderedGroupsTest {

    private final KeyOrderedGroups groups = new KeyOrderedGroups();

    @Test
    void keysInOrderAreAppendedAndOneChangeIsMadeInPlace() {
        this.groups.set("svc/a", group(1));
        this.groups.set("svc/c", group(3));
        assertThat(ports()).containsExactly(1, 3);
        this.groups.set("svc/b", group(2));
        assertThat(ports()).containsExactly(1, 2, 3);
        this.groups.set("svc/a", group(4));
        assertThat(ports()).containsExactly(4, 2, 3);
        this.groups.set("svc/b", null);
        assertThat(ports()).containsExactly(4, 3);
        this.groups.set("svc/x", null);
        assertThat(ports()).containsExactly(4, 3);
    }

    @Test
    void manyChangesBetweenReadsAreMergedInKeyOrder() {
        this.groups.set("svc/b", group(2));
        this.groups.set("svc/d", group(4));
        this.groups.set("svc/f", group(6));
        // added before, between and after, one replaced, one removed, one removed that never was, one added twice
        this.groups.set("svc/g", group(7));
        this.groups.set("svc/a", group(1));
        this.groups.set("svc/d", null);
        this.groups.set("svc/e", group(50));
        this.groups.set("svc/c", group(3));
        this.groups.set("svc/f", group(60));
        this.groups.set("svc/z", null);
        this.groups.set("svc/e", group(5));
        assertThat(ports()).containsExactly(1, 2, 3, 5, 60, 7);
        assertThat(this.groups.isEmpty()).isFalse();
    }

    @Test
    void randomChangesInBatchesOfEverySizeGiveWhatAnOrderedMapHolds() {
        Random random = new Random(25);
        TreeMap<String, Integer> expected = new TreeMap<>();
        for (int batch = 0; batch < 200; batch++) {
            for (int change = random.nextInt(40); change >= 0; change--) {
                String key = "svc/" + random.nextInt(300);
                if (random.nextInt(4) == 0) {
                    expected.remove(key);
                    this.groups.set(key, null);
                }
                else {
                    int port = 1 + random.nextInt(60_000);
                    expected.put(key, port);
                    this.groups.set(key, group(port));
                }
            }
            assertThat(ports()).containsExactlyElementsOf(new ArrayList<>(expected.values()));
        }
    }

    private List<Integer> ports() {
        return this.groups.groups()
            .stream()
            .map((group) -> ((InetSocketAddress) group.getAddresses().get(0)).getPort())
            .toList();
    }

    private static EquivalentAddressGroup group(int port) {
        return new EquivalentAddressGroup(new InetSocketAddress("127.0.0.1", port));
    }
}
