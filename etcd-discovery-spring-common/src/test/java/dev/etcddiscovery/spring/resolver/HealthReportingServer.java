package dev.etcddiscovery.spring.resolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.resolver.PortServer;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;

/**
 * A real gRPC server on 127.0.0.1 with {@link PortServer}'s method (answers with its own port) and the standard gRPC
 * health service, which reports what the test sets for {@link #SERVICE}.
 */
public final class HealthReportingServer implements AutoCloseable {

    public static final String SERVICE = "test.Port";

    private final HealthStatusManager health = new HealthStatusManager();

    private final Server server;

    private HealthReportingServer() throws IOException {
        ServerServiceDefinition port = ServerServiceDefinition.builder(SERVICE)
            .addMethod(PortServer.PORT, ServerCalls.asyncUnaryCall((request, observer) -> {
                observer.onNext(String.valueOf(port()));
                observer.onCompleted();
            }))
            .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(port)
            .addService(this.health.getHealthService())
            .build()
            .start();
        serving(true);
    }

    public static HealthReportingServer start() throws IOException {
        return new HealthReportingServer();
    }

    /** What the health service reports for {@link #SERVICE}: SERVING or NOT_SERVING. */
    public void serving(boolean serving) {
        this.health.setStatus(SERVICE, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    public int port() {
        return this.server.getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() throws InterruptedException {
        this.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
