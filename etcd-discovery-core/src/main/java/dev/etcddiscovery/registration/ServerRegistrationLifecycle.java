package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an application's gRPC server is registered: once it has bound its port <em>and</em> the application is
 * ready, never before; and deregistered as soon as that server begins to shut down, waiting at most the shutdown
 * timeout, so that a stop never hangs on an unreachable etcd. Then, if the server was in etcd and up, it waits the
 * drain delay before {@link #serverStopping} returns: a framework that stops its server after its listeners keeps it
 * serving while clients, which saw the key go, move their calls elsewhere. A framework integration calls it from its
 * server lifecycle events. Servers are told apart by identity only: the shutdown of another server (an in-process
 * one) leaves the registration alone, and a server started again after a shutdown is registered again.
 */
public class ServerRegistrationLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ServerRegistrationLifecycle.class);

    private final EtcdServiceRegistry registry;

    private final IntFunction<EndpointRegistration> registrationForPort;

    private final Duration shutdownTimeout;

    private final Duration drainDelay;

    private Object server;

    private int boundPort;

    private boolean ready;

    private RegistrationHandle handle;

    /**
     * @param registry where the server is registered
     * @param registrationForPort what to register for the port the server bound
     * @param shutdownTimeout upper bound of the deregistration when the server stops
     * @param drainDelay how long the server keeps serving after its key was deleted on shutdown; zero for none
     */
    public ServerRegistrationLifecycle(EtcdServiceRegistry registry, IntFunction<EndpointRegistration> registrationForPort,
            Duration shutdownTimeout, Duration drainDelay) {
        this.registry = registry;
        this.registrationForPort = registrationForPort;
        this.shutdownTimeout = shutdownTimeout;
        this.drainDelay = drainDelay;
    }

    /** The server bound {@code port}; a negative port (an in-process server) is not registered. */
    public synchronized void serverStarted(Object server, int port) {
        if (port < 0) {
            logger.debug("gRPC server {} has no network port (in-process); not registering it", server);
            return;
        }
        this.server = server;
        this.boundPort = port;
        registerWhenReady();
    }

    /** The application is ready to serve. */
    public synchronized void applicationReady() {
        this.ready = true;
        registerWhenReady();
    }

    /**
     * {@code server} is about to stop accepting calls: its key goes first, within the shutdown timeout, then the drain
     * delay passes.
     */
    public void serverStopping(Object server) {
        RegistrationHandle registered;
        synchronized (this) {
            if (server != this.server || this.handle == null) {
                return;
            }
            registered = this.handle;
        }
        RegistrationSnapshot before = registered.snapshot();
        // clients of a key that was never in etcd, or left it when set out of service, have nothing to drain
        boolean drain = before.state() == RegistrationState.REGISTERED && before.status() == RegistrationStatus.UP;
        try {
            registered.closeAsync().get(this.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (drain && !this.drainDelay.isZero()) {
                logger.info("Deregistered {}; the gRPC server keeps serving for {} while clients move away",
                        registered.key(), this.drainDelay);
                Thread.sleep(this.drainDelay.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("Deregistering {} from etcd did not finish within {}; the key expires with its lease",
                    registered.key(), this.shutdownTimeout);
        }
    }

    /** The registration, once made. */
    public synchronized Optional<RegistrationHandle> registration() {
        return Optional.ofNullable(this.handle);
    }

    private void registerWhenReady() {
        // a handle closed by an earlier server shutdown is replaced when a restarted server comes up
        boolean registered = this.handle != null && this.handle.snapshot().state() != RegistrationState.DEREGISTERED;
        if (this.ready && this.server != null && !registered) {
            this.handle = this.registry.register(this.registrationForPort.apply(this.boundPort));
        }
    }
}
