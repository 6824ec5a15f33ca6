package dev.etcddiscovery.test;

import java.util.List;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContextBuilder;

/** jetcd clients for an {@link EtcdCluster}; kept apart so that the kit loads without jetcd on the class path. */
final class JetcdClients {

    private JetcdClients() {
    }

    static ClientBuilder builder(List<String> endpoints, EtcdCertificates certificates, boolean clientCertAuth) {
        ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(String[]::new));
        if (certificates == null) {
            return builder;
        }
        try {
            // gRPC needs HTTP/2 negotiated by ALPN, as grpc-netty's GrpcSslContexts sets it up
            SslContextBuilder ssl = SslContextBuilder.forClient()
                .trustManager(certificates.caCertificate().toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, "h2"));
            if (clientCertAuth) {
                ssl.keyManager(certificates.clientCertificate().toFile(), certificates.clientKey().toFile());
            }
            return builder.sslContext(ssl.build());
        }
        catch (SSLException ex) {
            throw new IllegalStateException("Could not build a TLS context from " + certificates, ex);
        }
    }
}
