package dev.etcddiscovery.registration;

import java.time.Duration;
import java.time.Instant;

import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registrations survive what happens to etcd itself: a SIGKILL and restart, a wipe, and a shutdown while it is down.
 * What a keep-alive stream survives is {@link KeepAliveInterruptionIntegrationTest}'s (two classes, so that their
 * waits run in two test JVMs).
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class LeaseRecoveryIntegrationTest {

    private static final String KEY = "svc-recover/127.0.0.1:7100";

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(1), Duration.ofSeconds(2));

    @Test
    void etcdKilledAndRestartedWithItsDataGetsALiveLeaseAgain() throws Exception {
        RegistrationHandle handle = registered();
        long lease = handle.snapshot().leaseId();

        this.fixture.etcd().kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() != RegistrationState.REGISTERED);
        this.fixture.etcd().restart();

        awaitRegisteredWithLiveLease(handle);
        assertThat(handle.snapshot().leaseId()).isNotEqualTo(lease);
        assertThat(handle.snapshot().keepAliveFailures()).isPositive();
        assertThat(handle.snapshot().leaseRegrants()).isPositive();
    }

    @Test
    void wipedEtcdGetsTheKeyBack() throws Exception {
        RegistrationHandle handle = registered();

        this.fixture.etcd().wipe();

        awaitRegisteredWithLiveLease(handle);
        assertThat(handle.snapshot().leaseRegrants()).isPositive();
    }

    @Test
    void closeWithEtcdDownReturnsAfterTheRequestTimeout() {
        RegistrationHandle handle = registered();
        this.fixture.etcd().stop();
        try {
            Instant start = Instant.now();
            handle.close();
            // request timeout 1 s; a close that waited for etcd would never return
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(handle.snapshot().state()).isEqualTo(RegistrationState.DEREGISTERED);
        }
        finally {
            this.fixture.etcd().restart();
        }
    }

    private RegistrationHandle registered() {
        return this.fixture.registered("svc-recover", "127.0.0.1:7100");
    }

    private void awaitRegisteredWithLiveLease(RegistrationHandle handle) {
        this.fixture.awaitRegisteredWithLiveLease(handle, KEY);
    }
}
