package dev.etcddiscovery.boot3;

import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.context.event.EventListener;

/**
 * grpc-spring's server events, handed to the {@link GrpcServerAutoRegistration}: started once the server has bound
 * its port, shutdown just before grpc-spring calls {@code Server.shutdown()}.
 */
public class GrpcSpringServerEvents {

    private final GrpcServerAutoRegistration registration;

    public GrpcSpringServerEvents(GrpcServerAutoRegistration registration) {
        this.registration = registration;
    }

    @EventListener
    public void onServerStarted(GrpcServerStartedEvent event) {
        // the server's own port: grpc-spring's event carries its settings' port (for 0, one picked before binding)
        this.registration.serverStarted(event.getServer());
    }

    @EventListener
    public void onServerShutdown(GrpcServerShutdownEvent event) {
        this.registration.serverStopping(event.getServer());
    }
}
