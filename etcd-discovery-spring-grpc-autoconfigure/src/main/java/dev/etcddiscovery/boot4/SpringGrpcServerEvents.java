package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;

import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Spring gRPC's server events, handed to the {@link GrpcServerAutoRegistration}: started once the server has bound
 * its port, shutdown just before Spring gRPC calls {@code Server.shutdown()}.
 */
public class SpringGrpcServerEvents {

    private final GrpcServerAutoRegistration registration;

    public SpringGrpcServerEvents(GrpcServerAutoRegistration registration) {
        this.registration = registration;
    }

    @EventListener
    public void onServerStarted(GrpcServerStartedEvent event) {
        this.registration.serverStarted(event.getServer());
    }

    @EventListener
    public void onServerShutdown(GrpcServerShutdownEvent event) {
        this.registration.serverStopping(event.getServer());
    }
}
