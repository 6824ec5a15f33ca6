package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registration's keep-alive stream interrupted: broken for less than the TTL it keeps its lease; silent (etcd
 * stopped with SIGSTOP) it is noticed and the lease replaced.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class KeepAliveInterruptionIntegrationTest {

    private static final String KEY = "svc-recover/127.0.0.1:7100";

    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(1), Duration.ofSeconds(2));

    /**
     * A broken keepalive stream is not a lost lease: etcd keeps the lease for its TTL (and across a restart), and
     * jetcd re-opens the stream. Granting a new lease instead races the old one's expiry; during a leader election
     * the grant waits for the new leader, and with a short TTL the old lease expires first and deletes the key.
     */
    @Test
    void keepaliveStreamBrokenForLessThanTheTtlKeepsTheLease() throws Exception {
        Duration ttl = Duration.ofSeconds(6);
        try (EtcdServiceRegistry registry = EtcdServiceRegistry.builder(this.fixture.client())
            .requestTimeout(Duration.ofSeconds(1))
            .defaultTtl(ttl)
            .build()) {
            RegistrationHandle handle = registry.register("svc-blip", "127.0.0.1:7101", null);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
            long lease = handle.snapshot().leaseId();

            this.fixture.etcd().kill();
            await().atMost(ttl).until(() -> handle.snapshot().keepAliveFailures() > 0);
            this.fixture.etcd().restart();

            // kept alive through the restart: the key outlives the TTL under the same lease
            await().during(ttl.plusSeconds(1))
                .atMost(ttl.multipliedBy(3))
                .until(() -> this.fixture.probe().present("svc-blip/127.0.0.1:7101")
                        && this.fixture.probe().lease("svc-blip/127.0.0.1:7101") == lease);
            assertThat(handle.snapshot().leaseRegrants()).isZero();
            assertThat(handle.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
        }
    }

    @Test
    void keepaliveThatGoesSilentIsNoticedAndTheLeaseReplaced() throws Exception {
        RegistrationHandle handle = this.fixture.registered("svc-recover", "127.0.0.1:7100");
        long lease = handle.snapshot().leaseId();
        // SIGSTOP: etcd keeps its connections open but answers nothing, so no stream reports an error
        signalEtcd("STOP");
        try {
            await().atMost(Duration.ofSeconds(10))
                .until(() -> handle.snapshot().state() == RegistrationState.RE_REGISTERING);
            assertThat(handle.snapshot().keepAliveFailures()).isPositive();
        }
        finally {
            signalEtcd("CONT");
        }
        this.fixture.awaitRegisteredWithLiveLease(handle, KEY);
        assertThat(handle.snapshot().leaseId()).isNotEqualTo(lease);
    }

    /** Sends a signal to the etcd process this test class runs (found by its data directory). */
    private void signalEtcd(String signal) throws Exception {
        String dataDir = this.fixture.etcd().members().get(0).dataDir().toString();
        long pid = ProcessHandle.allProcesses()
            .filter((process) -> process.info().arguments().map((args) -> List.of(args).contains(dataDir)
                    || List.of(args).contains("--data-dir=" + dataDir)).orElse(false))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No etcd process with data dir " + dataDir))
            .pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
    }
}
