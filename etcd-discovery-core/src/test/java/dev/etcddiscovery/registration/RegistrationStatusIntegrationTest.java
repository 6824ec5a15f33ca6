package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Out of service and not ready: the key leaves etcd while the lease stays alive, and nothing brings it back, not the
 * own-key guard, a lost lease or an etcd restart, until the status is UP and the application ready again.
 */
@EtcdTest
@Tag("slow")
class RegistrationStatusIntegrationTest {

    private static final String KEY = "svc-status/127.0.0.1:7200";

    private static final Duration TTL = Duration.ofSeconds(2);

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(1), TTL, Duration.ofSeconds(1));

    @Test
    void outOfServiceDeletesTheKeyKeepsTheLeaseAndUpPutsItBack() throws Exception {
        RegistrationHandle handle = registered();
        long lease = handle.snapshot().leaseId();

        handle.setStatus(RegistrationStatus.OUT_OF_SERVICE);

        await().atMost(Duration.ofSeconds(5)).until(() -> !this.fixture.probe().present(KEY));
        // longer than the TTL and the guard's check interval: the lease lives on and the key stays away
        await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4)).until(() -> !this.fixture.probe().present(KEY));
        assertThat(this.fixture.probe().leaseExists(lease)).isTrue();
        RegistrationSnapshot snapshot = handle.snapshot();
        assertThat(snapshot.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(snapshot.status()).isEqualTo(RegistrationStatus.OUT_OF_SERVICE);
        assertThat(snapshot.advertised()).isFalse();
        assertThat(snapshot.leaseId()).isEqualTo(lease);

        handle.setStatus(RegistrationStatus.UP);

        await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.probe().lease(KEY) == lease);
        await().atMost(Duration.ofSeconds(5)).until(() -> handle.snapshot().advertised());
        // guarded again: a delete by someone else is undone
        this.fixture.etcd().etcdctl("del", KEY);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.probe().present(KEY));
    }

    @Test
    void outOfServiceSurvivesAnEtcdRestartAndALostLease() throws Exception {
        RegistrationHandle handle = registered();
        this.fixture.registry().setStatus(RegistrationStatus.OUT_OF_SERVICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.fixture.probe().present(KEY));

        this.fixture.etcd().kill();
        this.fixture.etcd().restart();
        // wiped: the lease is gone for sure, and the registration grants a new one
        long lease = handle.snapshot().leaseId();
        this.fixture.etcd().wipe();
        await().atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> handle.snapshot().state() == RegistrationState.REGISTERED
                    && handle.snapshot().leaseId() != lease
                    && this.fixture.probe().leaseExists(handle.snapshot().leaseId()));
        await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4)).until(() -> !this.fixture.probe().present(KEY));
        assertThat(handle.snapshot().leaseRegrants()).isPositive();

        this.fixture.registry().setStatus(RegistrationStatus.UP);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> this.fixture.probe().lease(KEY) == handle.snapshot().leaseId());
    }

    @Test
    void notReadyTakesTheKeyOutEvenWhenUp() {
        RegistrationHandle handle = registered();

        this.fixture.registry().setReady(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.fixture.probe().present(KEY));
        handle.setStatus(RegistrationStatus.UP);
        await().during(TTL).atMost(TTL.multipliedBy(3)).until(() -> !this.fixture.probe().present(KEY));
        assertThat(handle.snapshot().ready()).isFalse();

        this.fixture.registry().setReady(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.probe().present(KEY));
    }

    @Test
    void registeredWhileOutOfServiceHoldsALeaseWithoutTheKey() throws Exception {
        this.fixture.registry().setStatus(RegistrationStatus.OUT_OF_SERVICE);
        RegistrationHandle handle = this.fixture.registry().register("svc-status", "127.0.0.1:7200", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        assertThat(this.fixture.probe().present(KEY)).isFalse();
        assertThat(this.fixture.probe().leaseExists(handle.snapshot().leaseId())).isTrue();
        assertThat(handle.snapshot().leaseIdHex()).hasSize(16);

        this.fixture.registry().setStatus(RegistrationStatus.UP);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.fixture.probe().present(KEY));
    }

    private RegistrationHandle registered() {
        RegistrationHandle handle = this.fixture.registry().register("svc-status", "127.0.0.1:7200", null);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> handle.snapshot().advertised() && this.fixture.probe().present(KEY));
        return handle;
    }
}
