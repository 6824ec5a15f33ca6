package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.jetcd.MultiplexedWatch;
import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The own-key guard proves its watch alive with progress requests instead of reading its key every TTL (issue 25):
 * a healthy guard costs etcd no Range and no new watch, and a watch that goes silent is still replaced within about
 * a check interval, the key read once and put back if it was deleted meanwhile.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class OwnKeyGuardLivenessTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(2), TTL);

    @Test
    void aHealthyGuardCostsEtcdNoRangeAndNoWatch() {
        EtcdMember member = this.fixture.etcd().members().get(0);
        RegistrationHandle handle = registered(this.fixture.registry(), "quiet-guard", "127.0.0.1:7211");
        // a key put back on a delete: from here on, the guard's watch is in place
        this.fixture.etcd().etcdctl("del", handle.key());
        await().atMost(DEADLINE).until(() -> this.fixture.probe().lease(handle.key()) == handle.snapshot().leaseId());

        EtcdMetrics before = member.metrics();
        await().during(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(5))
            .until(() -> range(member.metrics()) == range(before) && watch(member.metrics()) == watch(before));
        EtcdMetrics after = member.metrics();
        System.out.printf("etcd, own-key guard over 3 TTLs of %d s: Range %d -> %d, Watch %d -> %d%n",
                TTL.toSeconds(), range(before), range(after), watch(before), watch(after));
        assertThat(((LeasedEndpoint) handle).keyWatchesStarted()).isOne();
    }

    /**
     * The key's watch runs on a connection of its own, through a proxy frozen after the watch answered progress
     * requests: only the watch goes silent, while the lease and the key's reads and puts go straight to etcd.
     */
    @Test
    void aSilentWatchIsReplacedAndADeletedKeyPutBack() throws Exception {
        try (EtcdProxy link = EtcdProxy.inFrontOf(this.fixture.etcd().members().get(0));
                Client watchClient = link.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(watchClient);
                EtcdServiceRegistry registry = EtcdServiceRegistry.builder(this.fixture.client())
                    .keyWatchSource(watch)
                    .requestTimeout(Duration.ofSeconds(2))
                    .defaultTtl(TTL)
                    .build()) {
            LeasedEndpoint handle = (LeasedEndpoint) registered(registry, "silenced-guard", "127.0.0.1:7212");
            // a few checks, so that the watch has answered a progress request
            await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4))
                .until(() -> handle.keyWatchesStarted() == 1);

            link.freeze();
            this.fixture.etcd().etcdctl("del", handle.key());

            // no event can pass: only the guard's check finds the watch silent, reads the key and puts it back
            await().atMost(DEADLINE).until(() -> this.fixture.probe().lease(handle.key()) == handle.snapshot().leaseId()
                    && handle.keyWatchesStarted() > 1);
            assertThat(handle.snapshot().leaseRegrants()).isZero();
            link.thaw();
        }
    }

    private static RegistrationHandle registered(EtcdServiceRegistry registry, String service, String address) {
        RegistrationHandle handle = registry.register(service, address, null);
        await().atMost(DEADLINE).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        return handle;
    }

    private static long range(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.KV", "Range");
    }

    private static long watch(EtcdMetrics metrics) {
        return metrics.started("etcdserverpb.Watch", "Watch");
    }
}
