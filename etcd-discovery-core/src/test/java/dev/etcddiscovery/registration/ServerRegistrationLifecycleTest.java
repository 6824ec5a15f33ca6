package dev.etcddiscovery.registration;

import java.time.Duration;
import java.time.Instant;

import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The order of server and application events against a real etcd: when the key is written and when it goes. */
@EtcdTest
@Tag("slow")
class ServerRegistrationLifecycleTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    private final Object server = new Object();

    private ServerRegistrationLifecycle lifecycle;

    // a request timeout far above the shutdown timeout: only the latter may bound a stop
    @RegisterExtension
    final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(60), TTL);

    @BeforeEach
    void setUp() {
        this.lifecycle = new ServerRegistrationLifecycle(this.fixture.registry(),
                (port) -> new EndpointRegistration("life", "127.0.0.1:" + port, null, TTL), Duration.ofSeconds(1),
                Duration.ZERO);
    }

    @Test
    void registersOnlyOnceTheServerIsBoundAndTheApplicationReady() {
        this.lifecycle.serverStarted(this.server, 7101);
        assertThat(this.lifecycle.registration()).isEmpty();

        this.lifecycle.applicationReady();

        assertThat(this.lifecycle.registration()).isPresent();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("life/127.0.0.1:7101"));
    }

    @Test
    void readyBeforeTheServerBindsRegistersTheBoundPort() {
        this.lifecycle.applicationReady();
        assertThat(this.lifecycle.registration()).isEmpty();

        this.lifecycle.serverStarted(this.server, 7102);

        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("life/127.0.0.1:7102"));
    }

    @Test
    void anInProcessServerIsNotRegistered() {
        this.lifecycle.applicationReady();

        this.lifecycle.serverStarted(this.server, -1);

        assertThat(this.lifecycle.registration()).isEmpty();
    }

    @Test
    void theStopOfAnotherServerLeavesTheKeyAndItsOwnStopRemovesIt() {
        this.lifecycle.applicationReady();
        this.lifecycle.serverStarted(this.server, 7103);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("life/127.0.0.1:7103"));

        this.lifecycle.serverStopping(new Object());
        assertThat(this.lifecycle.registration().get().snapshot().state()).isNotEqualTo(RegistrationState.DEREGISTERED);

        this.lifecycle.serverStopping(this.server);
        assertThat(this.fixture.probe().present("life/127.0.0.1:7103")).isFalse();
        assertThat(this.lifecycle.registration().get().snapshot().state()).isEqualTo(RegistrationState.DEREGISTERED);
    }

    @Test
    void aServerStartedAgainIsRegisteredAgainOnItsNewPort() {
        this.lifecycle.applicationReady();
        this.lifecycle.serverStarted(this.server, 7104);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("life/127.0.0.1:7104"));
        this.lifecycle.serverStopping(this.server);

        Object restarted = new Object();
        this.lifecycle.serverStarted(restarted, 7105);

        await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.probe().present("life/127.0.0.1:7105"));
        assertThat(this.fixture.probe().present("life/127.0.0.1:7104")).isFalse();
    }

    @Test
    void theStopWaitsNoLongerThanTheShutdownTimeoutWhenEtcdIsDown() {
        this.lifecycle.applicationReady();
        this.lifecycle.serverStarted(this.server, 7106);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.lifecycle.registration().get().snapshot().state() == RegistrationState.REGISTERED);
        this.fixture.etcd().stop();
        try {
            Instant start = Instant.now();
            this.lifecycle.serverStopping(this.server);
            // the revoke alone would wait for the 60 s request timeout
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
        }
        finally {
            this.fixture.etcd().restart();
        }
    }
}
