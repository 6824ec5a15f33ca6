package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Optional;

import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Registers the application's gRPC server once it has bound its port and the application is ready, and deregisters
 * it on the {@link GrpcServerShutdownEvent} that the gRPC framework's server lifecycle publishes just before
 * {@code Server.shutdown()}, so the key is gone before the server refuses new calls. That lifecycle runs in phase
 * {@code Integer.MAX_VALUE}, so no {@code SmartLifecycle} could stop earlier than it, and it calls
 * {@code Server.shutdown()} only after its listeners, so the drain delay, waited in the listener, keeps the server
 * serving while clients move away. The rule itself is {@link ServerRegistrationLifecycle}'s.
 * <p>
 * One source for both lines: grpc-spring's events here, Spring gRPC's on Boot 4.1 (same names and accessors; that
 * module's build rewrites the two imports).
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
        // the port the server bound; grpc-spring's event carries its settings' port (for 0, one picked before binding)
        this.lifecycle.serverStarted(event.getServer(), event.getServer().getPort());
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
