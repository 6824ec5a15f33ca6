package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdMetrics.Watches;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registration keeps its own key as it wrote it, whoever writes it meanwhile, and its watch of the key neither
 * loops nor leaves watchers behind on etcd.
 */
@EtcdTest
@Tag("slow")
class OwnKeyGuardIntegrationTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(2), TTL);

    /** A key put again without a lease would outlive the application for ever. */
    @Test
    void keyOverwrittenWithoutALeaseIsPutBackUnderOurs() throws Exception {
        RegistrationHandle handle = registered(this.fixture.registry(), "svc-nolease", "127.0.0.1:7201");
        String key = handle.key();
        String value = this.fixture.probe().value(key).orElseThrow();

        this.fixture.etcd().etcdctl("put", key, value);

        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.fixture.probe().lease(key) == handle.snapshot().leaseId());
        assertThat(this.fixture.probe().value(key)).contains(value);
        assertThat(handle.snapshot().leaseRegrants()).isZero();
    }

    @Test
    void keyOverwrittenWithAnotherValueIsPutBack() throws Exception {
        RegistrationHandle handle = registered(this.fixture.registry(), "svc-value", "127.0.0.1:7202");
        String key = handle.key();
        String value = this.fixture.probe().value(key).orElseThrow();

        this.fixture.etcd().etcdctl("put", key, "{\"Addr\":\"10.9.9.9:1\"}");

        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.fixture.probe().value(key).orElse("").equals(value)
                    && this.fixture.probe().lease(key) == handle.snapshot().leaseId());
    }

    /**
     * A proxy that ends the watch stream with OK leads to one new watch. jetcd reports a completion also for a watch
     * closed by its owner, so a guard that took that for news closed each new watch and opened another, thousands
     * of times a second.
     */
    @Test
    void watchEndedByAProxyIsReplacedOnce() throws Exception {
        EtcdMember member = this.fixture.etcd().members().get(0);
        try (EtcdProxy proxy = EtcdProxy.inFrontOf(this.fixture.etcd().members().get(0));
                Client proxied = proxy.clientBuilder().build();
                EtcdServiceRegistry registry = EtcdServiceRegistry.builder(proxied)
                    .requestTimeout(Duration.ofSeconds(2))
                    .defaultTtl(TTL)
                    .build()) {
            LeasedEndpoint handle = (LeasedEndpoint) registered(registry, "svc-stray", "127.0.0.1:7203");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.endCallsWithOk(handle.key()) == 1);
            long watchCalls = member.metrics().started("etcdserverpb.Watch", "Watch");

            await().atMost(Duration.ofSeconds(10)).until(() -> handle.keyWatchesStarted() == 2);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> handle.keyWatchesStarted() == 2);
            assertThat(member.metrics().started("etcdserverpb.Watch", "Watch") - watchCalls).isLessThanOrEqualTo(2);

            // the new watch guards the key
            this.fixture.etcd().etcdctl("del", handle.key());
            await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present(handle.key()));
        }
    }

    /**
     * etcd counts its watchers and watch streams: a closed registration leaves no watcher. jetcd 0.8.5 only
     * half-closes a watch's stream, and etcd keeps such a stream until the client's connection closes.
     */
    @Test
    void closedRegistrationLeavesNoWatcherOnEtcd() throws Exception {
        EtcdMember member = this.fixture.etcd().members().get(0);
        // what clients of earlier tests left goes with their connections
        await().atMost(Duration.ofSeconds(10)).until(() -> member.metrics().watches().equals(Watches.NONE));
        long watchersBefore = 0;
        long streamsBefore = 0;
        RegistrationHandle handle = registered(this.fixture.registry(), "svc-closed", "127.0.0.1:7204");
        await().atMost(Duration.ofSeconds(5)).until(() -> member.metrics().watchers() == watchersBefore + 1);
        long streamsRegistered = member.metrics().watchStreams();

        handle.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> member.metrics().watchers() == watchersBefore);
        System.out.printf("etcd watchers %d -> %d -> %d, watch streams %d -> %d -> %d (before, registered, closed)%n",
                watchersBefore, watchersBefore + 1, member.metrics().watchers(), streamsBefore, streamsRegistered,
                member.metrics().watchStreams());
    }

    private static RegistrationHandle registered(EtcdServiceRegistry registry, String service, String address) {
        RegistrationHandle handle = registry.register(service, address, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        return handle;
    }
}
