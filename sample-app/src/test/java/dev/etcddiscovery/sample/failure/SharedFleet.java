package dev.etcddiscovery.sample.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.FreePorts;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One etcd, two greeter servers (TTL 3 s; A with a known web port) and a client calling {@code etcd:///greeter} all
 * along, for the test classes that only poke them reversibly: a test method takes a {@code SharedFleet} parameter.
 * The JVMs take most of a sample test's time to start, so they start once per test JVM (failsafe runs every IT
 * class of a module in one), on first use, and stop when its root extension store closes. Each class gets the
 * fleet healthy (both servers answering the client) and must leave it so: what it changes, it changes back.
 */
final class SharedFleet implements ExtensionContext.Store.CloseableResource {

    private final EtcdCluster etcd;

    private final int httpA;

    private final GreeterServers servers = new GreeterServers();

    private final String a;

    private final String b;

    private final ContinuousClient client;

    /** Starts the JVMs, without waiting for them. */
    private SharedFleet(EtcdCluster etcd) throws IOException {
        this.etcd = etcd;
        this.httpA = FreePorts.next();
        this.client = ContinuousClient.start(etcd.endpointList());
        this.a = this.servers.startOne(etcd.endpointList(), "--server.port=" + this.httpA);
        this.b = this.servers.startOne(etcd.endpointList());
    }

    EtcdCluster etcd() {
        return this.etcd;
    }

    /** Server A's address; its web port is {@link #httpA()}. */
    String a() {
        return this.a;
    }

    int httpA() {
        return this.httpA;
    }

    String b() {
        return this.b;
    }

    ContinuousClient client() {
        return this.client;
    }

    @Override
    public void close() throws Exception {
        try (EtcdCluster stopped = this.etcd) {
            try {
                this.client.close();
            }
            finally {
                this.servers.close();
            }
        }
    }

    /** Resolves {@link SharedFleet} parameters: the one fleet, healthy. */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedFleet.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            SharedFleet fleet = context.getRoot()
                .getStore(ExtensionContext.Namespace.create(SharedFleet.class))
                .getOrComputeIfAbsent(SharedFleet.class, (key) -> start(), SharedFleet.class);
            fleet.client.awaitAnsweredBy(List.of(fleet.a, fleet.b));
            return fleet;
        }

        private static SharedFleet start() {
            EtcdCluster etcd = EtcdCluster.start(1);
            SharedFleet fleet;
            try {
                fleet = new SharedFleet(etcd);
            }
            catch (IOException ex) {
                etcd.close();
                throw new UncheckedIOException(ex);
            }
            try {
                fleet.client.awaitAnsweredBy(List.of(fleet.a, fleet.b), ContinuousClient.STARTUP);
                return fleet;
            }
            catch (RuntimeException ex) {
                closeAfterFailure(fleet, ex);
                throw ex;
            }
        }

        private static void closeAfterFailure(SharedFleet fleet, RuntimeException failure) {
            try {
                fleet.close();
            }
            catch (Exception ex) {
                failure.addSuppressed(ex);
            }
        }
    }
}
