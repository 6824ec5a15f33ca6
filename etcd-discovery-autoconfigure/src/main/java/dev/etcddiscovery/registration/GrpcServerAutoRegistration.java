package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.Server;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * When the application's gRPC server is registered: once it has bound its port <em>and</em> the application is
 * ready, never before. Deregisters on grpc-spring's {@link GrpcServerShutdownEvent}, which its server lifecycle
 * publishes just before {@code Server.shutdown()}; so the key is gone before the server refuses new calls. That
 * lifecycle runs in phase {@code Integer.MAX_VALUE}, so no {@code SmartLifecycle} could stop earlier than it.
 * Deregistration waits at most the shutdown timeout. Then, if the server was in etcd, the listener waits the drain
 * delay before it returns: grpc-spring calls {@code Server.shutdown()} only after its listeners, so the server keeps
 * serving while clients, which saw the key go, move their calls elsewhere.
 */
public class GrpcServerAutoRegistration {

    private static final Logger logger = LoggerFactory.getLogger(GrpcServerAutoRegistration.class);

    private final EtcdServiceRegistry registry;

    private final GrpcServerEndpoint endpoint;

    private final Duration shutdownTimeout;

    private final Duration drainDelay;

    private Server server;

    private int boundPort;

    private boolean ready;

    private RegistrationHandle handle;

    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout) {
        this(registry, endpoint, shutdownTimeout, Duration.ZERO);
    }

    /**
     * @param drainDelay how long the server keeps serving after its key was deleted on shutdown
     */
    public GrpcServerAutoRegistration(EtcdServiceRegistry registry, GrpcServerEndpoint endpoint,
            Duration shutdownTimeout, Duration drainDelay) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.shutdownTimeout = shutdownTimeout;
        this.drainDelay = drainDelay;
    }

    @EventListener
    public synchronized void onServerStarted(GrpcServerStartedEvent event) {
        int port = event.getServer().getPort();
        if (port < 0) {
            logger.debug("gRPC server {} has no network port (in-process); not registering it", event.getAddress());
            return;
        }
        this.server = event.getServer();
        this.boundPort = port;
        registerWhenReady();
    }

    @EventListener
    public synchronized void onApplicationReady(ApplicationReadyEvent event) {
        this.ready = true;
        registerWhenReady();
    }

    @EventListener
    public void onServerShutdown(GrpcServerShutdownEvent event) {
        RegistrationHandle registered;
        synchronized (this) {
            if (event.getServer() != this.server || this.handle == null) {
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
            this.handle = this.registry.register(this.endpoint.registrationFor(this.boundPort));
        }
    }
}
