package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Out of service and not ready: the key leaves etcd while the lease stays alive, and nothing brings it back, not the
 * own-key guard, a lost lease or an etcd restart, until the status is UP and the application ready again.
 */
@EtcdTest
class RegistrationStatusIntegrationTest {

    private static final String KEY = "svc-status/127.0.0.1:7200";

    private static final Duration TTL = Duration.ofSeconds(2);

    private EtcdCluster etcd;

    private Client client;

    private EtcdServiceRegistry registry;

    private EtcdProbe probe;

    @BeforeEach
    void setUp(EtcdCluster etcd) {
        this.etcd = etcd;
        this.client = etcd.client();
        this.registry = new EtcdServiceRegistry(this.client, "", Duration.ofSeconds(1), TTL, Duration.ofSeconds(1));
        this.probe = new EtcdProbe(etcd);
    }

    @AfterEach
    void tearDown() {
        this.registry.close();
        this.client.close();
        this.probe.close();
    }

    @Test
    void outOfServiceDeletesTheKeyKeepsTheLeaseAndUpPutsItBack() throws Exception {
        RegistrationHandle handle = registered();
        long lease = handle.snapshot().leaseId();

        handle.setStatus(RegistrationStatus.OUT_OF_SERVICE);

        await().atMost(Duration.ofSeconds(5)).until(() -> !this.probe.present(KEY));
        // longer than the TTL and the guard's check interval: the lease lives on and the key stays away
        await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4)).until(() -> !this.probe.present(KEY));
        assertThat(this.probe.leaseExists(lease)).isTrue();
        RegistrationSnapshot snapshot = handle.snapshot();
        assertThat(snapshot.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(snapshot.status()).isEqualTo(RegistrationStatus.OUT_OF_SERVICE);
        assertThat(snapshot.advertised()).isFalse();
        assertThat(snapshot.leaseId()).isEqualTo(lease);

        handle.setStatus(RegistrationStatus.UP);

        await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.lease(KEY) == lease);
        await().atMost(Duration.ofSeconds(5)).until(() -> handle.snapshot().advertised());
        // guarded again: a delete by someone else is undone
        this.probe.etcdctl("del", KEY);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.present(KEY));
    }

    @Test
    void outOfServiceSurvivesAnEtcdRestartAndALostLease() throws Exception {
        RegistrationHandle handle = registered();
        this.registry.setStatus(RegistrationStatus.OUT_OF_SERVICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.probe.present(KEY));

        this.etcd.kill();
        this.etcd.restart();
        // wiped: the lease is gone for sure, and the registration grants a new one
        long lease = handle.snapshot().leaseId();
        this.etcd.wipe();
        await().atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> handle.snapshot().state() == RegistrationState.REGISTERED
                    && handle.snapshot().leaseId() != lease && this.probe.leaseExists(handle.snapshot().leaseId()));
        await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4)).until(() -> !this.probe.present(KEY));
        assertThat(handle.snapshot().leaseRegrants()).isPositive();

        this.registry.setStatus(RegistrationStatus.UP);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.lease(KEY) == handle.snapshot().leaseId());
    }

    @Test
    void notReadyTakesTheKeyOutEvenWhenUp() {
        RegistrationHandle handle = registered();

        this.registry.setReady(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.probe.present(KEY));
        handle.setStatus(RegistrationStatus.UP);
        await().during(TTL).atMost(TTL.multipliedBy(3)).until(() -> !this.probe.present(KEY));
        assertThat(handle.snapshot().ready()).isFalse();

        this.registry.setReady(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.present(KEY));
    }

    @Test
    void registeredWhileOutOfServiceHoldsALeaseWithoutTheKey() throws Exception {
        this.registry.setStatus(RegistrationStatus.OUT_OF_SERVICE);
        RegistrationHandle handle = this.registry.register("svc-status", "127.0.0.1:7200", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        assertThat(this.probe.present(KEY)).isFalse();
        assertThat(this.probe.leaseExists(handle.snapshot().leaseId())).isTrue();
        assertThat(handle.snapshot().leaseIdHex()).hasSize(16);

        this.registry.setStatus(RegistrationStatus.UP);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.present(KEY));
    }

    private RegistrationHandle registered() {
        RegistrationHandle handle = this.registry.register("svc-status", "127.0.0.1:7200", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().advertised() && this.probe.present(KEY));
        return handle;
    }
}
