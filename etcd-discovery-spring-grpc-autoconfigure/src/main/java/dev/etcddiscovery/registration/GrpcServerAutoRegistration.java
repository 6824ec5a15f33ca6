package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Registers the application's Spring gRPC server once it has bound its port and the application is ready, and
 * deregisters it on {@link GrpcServerShutdownEvent}, which Spring gRPC's server lifecycle publishes just before
 * {@code Server.shutdown()}, so the key is gone before the server refuses new calls. That lifecycle runs in phase
 * {@code Integer.MAX_VALUE}, so no {@code SmartLifecycle} could stop earlier than it. Spring gRPC calls
 * {@code Server.shutdown()} only after its listeners, so the drain delay, waited in the listener, keeps the server
 * serving while clients move away. The rule itself is {@link ServerRegistrationLifecycle}'s.
 */
public class GrpcServerAutoRegistration {

    private final ServerRegistrationLifecycle lifecycle;

    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout) {
        this(registry, endpoint, shutdownTimeout, Duration.ZERO);
    }

    /**
     * @param drainDelay how long the server keeps serving after its key was deleted on shutdown
     */
    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout, Duration drainDelay) {
        this.lifecycle = new ServerRegistrationLifecycle(registry, endpoint::registrationFor, shutdownTimeout,
                drainDelay);
    }

    @EventListener
    public void onServerStarted(GrpcServerStartedEvent event) {
        this.lifecycle.serverStarted(event.getServer(), event.getPort());
    }

    @EventListener
    public void onApplicationReady(ApplicationReadyEvent event) {
        this.lifecycle.applicationReady();
    }

    @EventListener
    public void onServerShutdown(GrpcServerShutdownEvent event) {
        this.lifecycle.serverStopping(event.getServer());
    }

    /** The registration, once made. */
    public Optional<RegistrationHandle> registration() {
        return this.lifecycle.registration();
    }
}
