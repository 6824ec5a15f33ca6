package dev.etcddiscovery.spring.registration;

import java.time.Duration;
import java.util.Optional;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationHandle;
import dev.etcddiscovery.registration.ServerRegistrationLifecycle;
import io.grpc.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Registers the application's gRPC server once it has bound its port and the application is ready, and deregisters
 * it when the gRPC framework's server lifecycle announces the shutdown, just before {@code Server.shutdown()}, so the
 * key is gone before the server refuses new calls. That lifecycle runs in phase {@code Integer.MAX_VALUE}, so no
 * {@code SmartLifecycle} could stop earlier than it, and it calls {@code Server.shutdown()} only after its listeners,
 * so the drain delay, waited in the listener, keeps the server serving while clients move away. The rule itself is
 * {@link ServerRegistrationLifecycle}'s.
 * <p>
 * The server events are each gRPC framework's own: each line's auto-configuration adds a listener that calls
 * {@link #serverStarted} and {@link #serverStopping} (grpc-spring's on Boot 3.5, Spring gRPC's on Boot 4.1).
 * <p>
 * {@code etcd.discovery.registration.enabled=false} normally leaves this bean out (a condition); an AOT-processed
 * application's beans are fixed when it is built, so there the switch is read again at run time: a disabled one
 * registers nothing.
 */
public class GrpcServerAutoRegistration {

    private static final Logger logger = LoggerFactory.getLogger(GrpcServerAutoRegistration.class);

    private final ServerRegistrationLifecycle lifecycle;

    private final boolean enabled;

    /**
     * @param shutdownTimeout how long deregistration may wait for etcd on shutdown
     * @param drainDelay how long the server keeps serving after its key was deleted on shutdown
     */
    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout, Duration drainDelay) {
        this(registry, endpoint, shutdownTimeout, drainDelay, true);
    }

    /** As the other constructor; {@code enabled} false (the run-time value of the switch) registers nothing. */
    GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint, Duration shutdownTimeout,
            Duration drainDelay, boolean enabled) {
        this.lifecycle = new ServerRegistrationLifecycle(registry, endpoint::registrationFor, shutdownTimeout,
                drainDelay);
        this.enabled = enabled;
    }

    /** The server has bound its port: {@code server.getPort()}, not the configured one (0 picks a free port). */
    public void serverStarted(Server server) {
        if (!this.enabled) {
            logger.info("gRPC server on port {} is not registered: etcd.discovery.registration.enabled is false",
                    server.getPort());
            return;
        }
        this.lifecycle.serverStarted(server, server.getPort());
    }

    @EventListener
    public void onApplicationReady(ApplicationReadyEvent event) {
        this.lifecycle.applicationReady();
    }

    /** The server is about to shut down: its key is deleted and the drain delay waited here. */
    public void serverStopping(Server server) {
        this.lifecycle.serverStopping(server);
    }

    /** The registration, once made. */
    public Optional<RegistrationHandle> registration() {
        return this.lifecycle.registration();
    }
}
