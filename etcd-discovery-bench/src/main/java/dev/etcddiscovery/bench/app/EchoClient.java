package dev.etcddiscovery.bench.app;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import net.devh.boot.grpc.client.inject.GrpcClient;

import org.springframework.stereotype.Component;

/**
 * Calls {@link Echo} on the channel {@code bench} ({@code grpc.client.bench.address}). Injected with
 * {@code @GrpcClient} as applications do: grpc-spring registers the name resolver beans (etcd:///) only when it
 * processes a {@code @GrpcClient}, not for {@code GrpcChannelFactory.createChannel} alone.
 */
@Component
public class EchoClient {

    @GrpcClient("bench")
    private Channel channel;

    /** One call that waits for the channel to be ready (at most 30 s); the name of the server that answered. */
    public String who() {
        byte[] reply = ClientCalls.blockingUnaryCall(this.channel, Echo.WHO,
                CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS), new byte[0]);
        return new String(reply, StandardCharsets.UTF_8);
    }
}
