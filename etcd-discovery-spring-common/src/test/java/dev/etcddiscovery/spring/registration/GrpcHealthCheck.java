package dev.etcddiscovery.spring.registration;

import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;

/** The standard gRPC health check of a server, called on its address directly; both lines' tests use it. */
public final class GrpcHealthCheck {

    private GrpcHealthCheck() {
    }

    /** The serving status the server at {@code address} ({@code host:port}) reports for the whole server. */
    public static ServingStatus status(String address) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
        }
        finally {
            channel.shutdownNow();
        }
    }
}
