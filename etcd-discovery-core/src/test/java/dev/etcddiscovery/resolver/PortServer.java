package dev.etcddiscovery.resolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;

/**
 * A real gRPC server on a loopback port with one method that answers with the server's own port, so a client
 * can tell which server served a call. No protoc needed: the messages are strings.
 */
public final class PortServer implements AutoCloseable {

    public static final MethodDescriptor<String, String> PORT = MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("test.Port/Get")
        .setRequestMarshaller(new StringMarshaller())
        .setResponseMarshaller(new StringMarshaller())
        .build();

    private final Server server;

    private final AtomicInteger failuresLeft;

    private final AtomicInteger connections = new AtomicInteger();

    private PortServer(String host, int failures) {
        this.failuresLeft = new AtomicInteger(failures);
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Port")
            .addMethod(PORT, ServerCalls.asyncUnaryCall((request, observer) -> {
                if (this.failuresLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
                    observer.onError(Status.UNAVAILABLE.withDescription("failing as told").asRuntimeException());
                    return;
                }
                observer.onNext(String.valueOf(port()));
                observer.onCompleted();
            }))
            .build();
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, 0))
                .addService(service)
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes transportAttrs) {
                        PortServer.this.connections.incrementAndGet();
                        return transportAttrs;
                    }
                })
                .build()
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A server on 127.0.0.1. */
    public static PortServer start() {
        return new PortServer("127.0.0.1", 0);
    }

    /** A server on the given loopback address, e.g. {@code ::1}. */
    public static PortServer start(String host) {
        return new PortServer(host, 0);
    }

    /** Fails the next call with UNAVAILABLE, as a server does while it restarts. */
    public void failNextCall() {
        this.failuresLeft.set(1);
    }

    /** How many connections clients have opened to this server so far. */
    public int connections() {
        return this.connections.get();
    }

    public int port() {
        return this.server.getPort();
    }

    /** One call with a short deadline: the port of the server that answered. */
    public static int call(Channel channel) {
        return Integer.parseInt(ClientCalls.blockingUnaryCall(channel, PORT,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), ""));
    }

    @Override
    public void close() throws InterruptedException {
        this.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private static final class StringMarshaller implements MethodDescriptor.Marshaller<String> {

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
