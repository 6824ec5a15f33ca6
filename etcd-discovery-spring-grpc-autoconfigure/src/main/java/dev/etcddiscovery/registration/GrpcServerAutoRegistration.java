package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Registers the application's Spring gRPC server once it has bound its port and the application is ready, and
 * deregisters it on {@link GrpcServerShutdownEvent}, which Spring gRPC's server lifecycle publishes just before
 * {@code Server.shutdown()}, so the key is gone before the server refuses new calls. That lifecycle runs in phase
 * {@code Integer.MAX_VALUE}, so no {@code SmartLifecycle} could stop earlier than it. The rule itself is
 * {@link ServerRegistrationLifecycle}'s. Then, if the key was in etcd, the listener waits the drain delay before it
 * returns: Spring gRPC calls {@code Server.shutdown()} only after its listeners, so the server keeps serving while
 * clients, which saw the key go, move their calls elsewhere.
 */
public class GrpcServerAutoRegistration {

    private static final Logger logger = LoggerFactory.getLogger(GrpcServerAutoRegistration.class);

    private final ServerRegistrationLifecycle lifecycle;

    private final Duration drainDelay;

    /** The server that bound a network port, the only one whose shutdown drains. */
    private volatile Object server;

    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout) {
        this(registry, endpoint, shutdownTimeout, Duration.ZERO);
    }

    /**
     * @param drainDelay how long the server keeps serving after its key was deleted on shutdown
     */
    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout, Duration drainDelay) {
        this.lifecycle = new ServerRegistrationLifecycle(registry, endpoint::registrationFor, shutdownTimeout);
        this.drainDelay = drainDelay;
    }

    @EventListener
    public void onServerStarted(GrpcServerStartedEvent event) {
        if (event.getPort() >= 0) {
            this.server = event.getServer();
        }
        this.lifecycle.serverStarted(event.getServer(), event.getPort());
    }

    @EventListener
    public void onApplicationReady(ApplicationReadyEvent event) {
        this.lifecycle.applicationReady();
    }

    @EventListener
    public void onServerShutdown(GrpcServerShutdownEvent event) {
        Optional<RegistrationHandle> registered = (event.getServer() == this.server) ? this.lifecycle.registration()
                : Optional.empty();
        RegistrationSnapshot before = registered.map(RegistrationHandle::snapshot).orElse(null);
        this.lifecycle.serverStopping(event.getServer());
        // clients of a key that was never in etcd, or left it when set out of service, have nothing to drain; nor
        // do those of a key whose deregistration timed out (closing again only reads the finished close)
        boolean drain = before != null && before.state() == RegistrationState.REGISTERED
                && before.status() == RegistrationStatus.UP && registered.get().closeAsync().isDone();
        if (drain && !this.drainDelay.isZero()) {
            logger.info("Deregistered {}; the gRPC server keeps serving for {} while clients move away",
                    before.key(), this.drainDelay);
            try {
                Thread.sleep(this.drainDelay.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The registration, once made. */
    public Optional<RegistrationHandle> registration() {
        return this.lifecycle.registration();
    }
}
