package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The own-key guard proves its watch alive with progress requests instead of reading its key every TTL (issue 25):
 * a healthy guard costs etcd no Range and no new watch, and a watch that goes silent is still replaced, by the second
 * check (a TTL apart) after it went silent, the key read once and put back if it was deleted meanwhile.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class OwnKeyGuardLivenessTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(2), TTL);

    /**
     * The key's watch runs on a connection of its own (jetcd's own watch, the registry's default), through a proxy:
     * healthy, it costs etcd no Range and no Watch call over several TTLs; frozen once it has answered progress
     * requests, only the watch goes silent, while the lease and the key's reads and puts go straight to etcd.
     */
    @Test
    void aHealthyGuardCostsEtcdNoRangeAndASilentWatchIsReplaced() throws Exception {
        EtcdMember member = this.fixture.etcd().members().get(0);
        try (EtcdProxy link = EtcdProxy.inFrontOf(member); Client watchClient = link.clientBuilder().build();
                EtcdServiceRegistry registry = EtcdServiceRegistry.builder(this.fixture.client())
                    .keyWatchSource(watchClient.getWatchClient())
                    .requestTimeout(Duration.ofSeconds(2))
                    .defaultTtl(TTL)
                    .build()) {
            LeasedEndpoint handle = (LeasedEndpoint) registry.register("quiet-guard", "127.0.0.1:7211", null);
            await().atMost(DEADLINE).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
            // a key put back on a delete: from here on, the guard's watch is in place
            this.fixture.etcd().etcdctl("del", handle.key());
            await().atMost(DEADLINE).until(() -> putBack(handle));

            EtcdMetrics before = member.metrics();
            await().during(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(5))
                .until(() -> range(member.metrics()) == range(before) && watch(member.metrics()) == watch(before));
            EtcdMetrics after = member.metrics();
            System.out.printf("etcd, own-key guard over 3 TTLs of %d s: Range %d -> %d, Watch %d -> %d%n",
                    TTL.toSeconds(), range(before), range(after), watch(before), watch(after));
            assertThat(handle.keyWatchesStarted()).isOne();

            link.freeze();
            this.fixture.etcd().etcdctl("del", handle.key());

            // no event can pass: only the guard's check finds the watch silent, reads the key and puts it back
            await().atMost(DEADLINE).until(() -> putBack(handle) && handle.keyWatchesStarted() == 2);
            assertThat(handle.snapshot().leaseRegrants()).isZero();
            link.thaw();
        }
    }

    private boolean putBack(RegistrationHandle handle) {
        return this.fixture.probe().lease(handle.key()) == handle.snapshot().leaseId();
    }

    private static long range(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.KV", "Range");
    }

    private static long watch(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.Watch", "Watch");
    }
}
