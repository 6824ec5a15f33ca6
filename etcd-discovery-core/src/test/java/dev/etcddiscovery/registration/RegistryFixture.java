package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.internal.RetryBackoff;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdExtension;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * What a registration test of an {@code @EtcdTest} class needs before each test: the class's etcd, a registry on a
 * jetcd client of its own, and an {@link EtcdProbe} that looks at etcd from the outside; all closed after the test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final RegistryFixture fixture = new RegistryFixture(Duration.ofSeconds(1), TTL);
 * }</pre>
 */
final class RegistryFixture implements BeforeEachCallback, AfterEachCallback {

    private final Duration requestTimeout;

    private final Duration ttl;

    private final Duration maxRetryBackoff;

    private EtcdCluster etcd;

    private Client client;

    private EtcdServiceRegistry registry;

    private EtcdProbe probe;

    /** A registry with {@code requestTimeout}, default {@code ttl} and the default retry backoff. */
    RegistryFixture(Duration requestTimeout, Duration ttl) {
        this(requestTimeout, ttl, RetryBackoff.DEFAULT_MAX);
    }

    /** A registry with {@code requestTimeout}, default {@code ttl} and {@code maxRetryBackoff}. */
    RegistryFixture(Duration requestTimeout, Duration ttl, Duration maxRetryBackoff) {
        this.requestTimeout = requestTimeout;
        this.ttl = ttl;
        this.maxRetryBackoff = maxRetryBackoff;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        this.etcd = EtcdExtension.runningFor(context.getRequiredTestClass())
            .orElseThrow(() -> new IllegalStateException("RegistryFixture needs an @EtcdTest class"));
        this.client = this.etcd.client();
        this.registry = EtcdServiceRegistry.builder(this.client)
            .requestTimeout(this.requestTimeout)
            .defaultTtl(this.ttl)
            .maxRetryBackoff(this.maxRetryBackoff)
            .build();
        this.probe = new EtcdProbe(this.etcd);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        this.registry.close();
        this.client.close();
        this.probe.close();
    }

    EtcdCluster etcd() {
        return this.etcd;
    }

    /** The registry's own jetcd client. */
    Client client() {
        return this.client;
    }

    EtcdServiceRegistry registry() {
        return this.registry;
    }

    EtcdProbe probe() {
        return this.probe;
    }

    /** Registers {@code address} as {@code service} and waits until it is registered. */
    RegistrationHandle registered(String service, String address) {
        RegistrationHandle handle = this.registry.register(service, address, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
        return handle;
    }

    /**
     * Waits until {@code handle} is registered again, its {@code key} under its current lease of this fixture's TTL,
     * and then that the lease is kept alive: the key outlives the TTL.
     */
    void awaitRegisteredWithLiveLease(RegistrationHandle handle, String key) {
        await().atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> handle.snapshot().state() == RegistrationState.REGISTERED
                    && this.probe.lease(key) == handle.snapshot().leaseId()
                    && this.probe.grantedTtl(handle.snapshot().leaseId()) == this.ttl.toSeconds());
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> this.probe.present(key));
    }
}
