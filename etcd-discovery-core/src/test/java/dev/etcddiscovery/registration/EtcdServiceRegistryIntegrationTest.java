package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Map;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.resolver.LogCapture;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The programmatic API against a real etcd: what it writes, that the lease lives, and how it comes back after
 * someone deletes the key or revokes the lease.
 */
@EtcdTest
@Tag("slow")
class EtcdServiceRegistryIntegrationTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(2), TTL);

    @Test
    void writesKeyAndValueUnderLeaseWithTheTtl() throws Exception {
        LogCapture log = new LogCapture("dev.etcddiscovery.registration");
        RegistrationHandle handle;
        try (log) {
            handle = this.fixture.registry().register("svc-a", "127.0.0.1:7001", null);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> this.fixture.registry().registrations().get(0).state() == RegistrationState.REGISTERED);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("svc-a/127.0.0.1:7001"));
        assertThat(this.fixture.probe().value("svc-a/127.0.0.1:7001"))
            .contains("{\"Op\":0,\"Addr\":\"127.0.0.1:7001\",\"Metadata\":null}");
        long lease = this.fixture.probe().lease("svc-a/127.0.0.1:7001");
        assertThat(lease).isNotZero();
        assertThat(this.fixture.probe().grantedTtl(lease)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        RegistrationSnapshot snapshot = handle.snapshot();
        assertThat(snapshot.key()).isEqualTo("svc-a/127.0.0.1:7001");
        assertThat(snapshot.leaseId()).isEqualTo(lease);
        assertThat(snapshot.ttl()).isEqualTo(TTL);
        assertThat(this.fixture.registry().registrations()).containsExactly(snapshot);

        // the lease as etcdctl shows it ("lease 0322a21d7155f706 granted with TTL(2s), remaining(1s)") is what the
        // snapshot and the log show
        String shownByEtcdctl = this.fixture.etcd()
            .etcdctl("lease", "timetolive", Long.toHexString(lease))
            .split(" ")[1];
        assertThat(snapshot.leaseIdHex()).isEqualTo(shownByEtcdctl);
        assertThat(log.atLeast(Level.INFO))
            .anyMatch((line) -> line.startsWith("Registered svc-a/127.0.0.1:7001 in etcd (lease " + shownByEtcdctl + ","));
    }

    @Test
    void keyOutlivesTheTtlWhileRegistered() {
        this.fixture.registry().register("svc-alive", "127.0.0.1:7002", Map.of("zone", "a"));

        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("svc-alive/127.0.0.1:7002"));
        await().during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(8))
            .until(() -> this.fixture.probe().present("svc-alive/127.0.0.1:7002"));
        assertThat(this.fixture.probe().value("svc-alive/127.0.0.1:7002"))
            .contains("{\"Op\":0,\"Addr\":\"127.0.0.1:7002\",\"Metadata\":{\"zone\":\"a\"}}");
    }

    @Test
    void closeRevokesTheLeaseAndTheKeyGoesWithIt() throws Exception {
        RegistrationHandle handle = this.fixture.registry().register("svc-close", "127.0.0.1:7003", "v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        long lease = handle.snapshot().leaseId();

        handle.close();

        assertThat(this.fixture.probe().present("svc-close/127.0.0.1:7003")).isFalse();
        assertThat(this.fixture.probe().leaseExists(lease)).isFalse();
        assertThat(handle.snapshot().state()).isEqualTo(RegistrationState.DEREGISTERED);
        assertThat(this.fixture.registry().registrations()).isEmpty();
    }

    @Test
    void keyDeletedWithEtcdctlIsPutBack() throws Exception {
        RegistrationHandle handle = this.fixture.registry().register("svc-del", "127.0.0.1:7004", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        long lease = handle.snapshot().leaseId();

        assertThat(this.fixture.etcd().etcdctl("del", "svc-del/127.0.0.1:7004")).startsWith("1");

        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("svc-del/127.0.0.1:7004"));
        assertThat(this.fixture.probe().lease("svc-del/127.0.0.1:7004")).isEqualTo(lease);
        assertThat(handle.snapshot().leaseRegrants()).isZero();
    }

    @Test
    void leaseRevokedBehindOurBackIsReplacedAndTheKeyPutAgain() throws Exception {
        RegistrationHandle handle = this.fixture.registry().register("svc-revoked", "127.0.0.1:7005", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        long lease = handle.snapshot().leaseId();

        this.fixture.etcd().etcdctl("lease", "revoke", Long.toHexString(lease));

        await().atMost(Duration.ofSeconds(15))
            .until(() -> handle.snapshot().leaseRegrants() == 1
                    && handle.snapshot().state() == RegistrationState.REGISTERED);
        long newLease = handle.snapshot().leaseId();
        assertThat(newLease).isNotEqualTo(lease);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> this.fixture.probe().lease("svc-revoked/127.0.0.1:7005") == newLease);
        assertThat(this.fixture.probe().grantedTtl(newLease)).isEqualTo(2);
    }

    @Test
    void deleteRemovesTheEndpointForGood() {
        RegistrationHandle handle = this.fixture.registry().register("svc-gone", "127.0.0.1:7006", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);

        this.fixture.registry().delete("svc-gone", "127.0.0.1:7006");

        assertThat(handle.snapshot().state()).isEqualTo(RegistrationState.DEREGISTERED);
        await().during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(5))
            .until(() -> !this.fixture.probe().present("svc-gone/127.0.0.1:7006"));
    }

    @Test
    void deleteAlsoRemovesKeysWrittenByOthers() throws Exception {
        this.fixture.etcd().etcdctl("put", "svc-other/10.0.0.9:80", "{\"Addr\":\"10.0.0.9:80\"}");

        this.fixture.registry().delete("svc-other", "10.0.0.9:80");

        assertThat(this.fixture.probe().present("svc-other/10.0.0.9:80")).isFalse();
    }
}
