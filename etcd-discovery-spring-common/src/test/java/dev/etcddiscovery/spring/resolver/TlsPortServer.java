package dev.etcddiscovery.spring.resolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.test.EtcdCertificates;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ServerCalls;

/**
 * A real gRPC server on 127.0.0.1 with TLS and {@link PortServer}'s method (answers with its own port), which counts
 * the calls it served: a rogue server that must get none, or a real one that must keep them.
 */
public final class TlsPortServer implements AutoCloseable {

    private final Server server;

    private final AtomicInteger calls = new AtomicInteger();

    private TlsPortServer(SslContext ssl) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Port")
            .addMethod(PortServer.PORT, ServerCalls.asyncUnaryCall((request, observer) -> {
                this.calls.incrementAndGet();
                observer.onNext(String.valueOf(port()));
                observer.onCompleted();
            }))
            .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(ssl)
            .addService(service)
            .build()
            .start();
    }

    /**
     * A server presenting {@code certificate}; with {@code clientCertificatesFrom}, it requires a client certificate
     * issued by that CA (mutual TLS).
     */
    public static TlsPortServer start(EtcdCertificates.Issued certificate, EtcdCertificates clientCertificatesFrom) {
        try {
            var ssl = GrpcSslContexts.forServer(certificate.certificate().toFile(), certificate.privateKey().toFile());
            if (clientCertificatesFrom != null) {
                ssl.trustManager(clientCertificatesFrom.caCertificate().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return new TlsPortServer(ssl.build());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public int port() {
        return this.server.getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** How many calls this server answered. */
    public int calls() {
        return this.calls.get();
    }

    @Override
    public void close() throws InterruptedException {
        this.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
