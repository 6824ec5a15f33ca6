package dev.etcddiscovery.registration;

import java.time.Duration;
import java.time.Instant;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registrations survive what happens to etcd itself: a SIGKILL and restart, a wipe, and a shutdown while it is down.
 */
@EtcdTest
class LeaseRecoveryIntegrationTest {

    private static final String KEY = "svc-recover/127.0.0.1:7100";

    private EtcdCluster etcd;

    private Client client;

    private EtcdServiceRegistry registry;

    private EtcdProbe probe;

    @BeforeEach
    void setUp(EtcdCluster etcd) {
        this.etcd = etcd;
        this.client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
        this.registry = new EtcdServiceRegistry(this.client, "", Duration.ofSeconds(1), Duration.ofSeconds(2));
        this.probe = new EtcdProbe(etcd);
    }

    @AfterEach
    void tearDown() {
        this.registry.close();
        this.client.close();
        this.probe.close();
    }

    @Test
    void etcdKilledAndRestartedWithItsDataGetsALiveLeaseAgain() throws Exception {
        RegistrationHandle handle = registered();
        long lease = handle.snapshot().leaseId();

        this.etcd.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() != RegistrationState.REGISTERED);
        this.etcd.restart();

        awaitRegisteredWithLiveLease(handle);
        assertThat(handle.snapshot().leaseId()).isNotEqualTo(lease);
        assertThat(handle.snapshot().keepAliveFailures()).isPositive();
        assertThat(handle.snapshot().leaseRegrants()).isPositive();
    }

    @Test
    void wipedEtcdGetsTheKeyBack() throws Exception {
        RegistrationHandle handle = registered();

        this.etcd.wipe();

        awaitRegisteredWithLiveLease(handle);
        assertThat(handle.snapshot().leaseRegrants()).isPositive();
    }

    @Test
    void closeWithEtcdDownReturnsAfterTheRequestTimeout() {
        RegistrationHandle handle = registered();
        this.etcd.stop();
        try {
            Instant start = Instant.now();
            handle.close();
            // request timeout 1 s; a close that waited for etcd would never return
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(handle.snapshot().state()).isEqualTo(RegistrationState.DEREGISTERED);
        }
        finally {
            this.etcd.restart();
        }
    }

    private RegistrationHandle registered() {
        RegistrationHandle handle = this.registry.register("svc-recover", "127.0.0.1:7100", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        return handle;
    }

    private void awaitRegisteredWithLiveLease(RegistrationHandle handle) {
        await().atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> handle.snapshot().state() == RegistrationState.REGISTERED
                    && this.probe.lease(KEY) == handle.snapshot().leaseId()
                    && this.probe.grantedTtl(handle.snapshot().leaseId()) == 2);
        // the new lease is kept alive: the key outlives its TTL
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> this.probe.present(KEY));
    }
}
