package dev.etcddiscovery.boot4;

import java.util.ArrayList;
import java.util.List;

import dev.etcddiscovery.spring.resolver.AbstractRegistryPoisoningTest;
import dev.etcddiscovery.test.EtcdCertificates;
import dev.etcddiscovery.test.EtcdCluster;
import io.grpc.Channel;

import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;

/** {@link AbstractRegistryPoisoningTest} on Spring gRPC's TLS channels: an SSL bundle per channel. */
class RegistryPoisoningTest extends AbstractRegistryPoisoningTest {

    RegistryPoisoningTest(EtcdCluster etcd) {
        super(etcd);
    }

    @Override
    protected Class<?>[] grpcClientAutoConfigurations() {
        return new Class<?>[] { SslAutoConfiguration.class, GrpcClientAutoConfiguration.class };
    }

    @Override
    protected String[] tlsChannel(String name, String target, EtcdCertificates certificates,
            EtcdCertificates.Issued clientCertificate) {
        String bundle = "spring.ssl.bundle.pem." + name + "-client.";
        List<String> properties = new ArrayList<>(List.of("spring.grpc.client.channel." + name + ".target=" + target,
                "spring.grpc.client.channel." + name + ".ssl.bundle=" + name + "-client",
                bundle + "truststore.certificate=file:" + certificates.caCertificate()));
        if (clientCertificate != null) {
            properties.addAll(List.of(bundle + "keystore.certificate=file:" + clientCertificate.certificate(),
                    bundle + "keystore.private-key=file:" + clientCertificate.privateKey()));
        }
        return properties.toArray(String[]::new);
    }

    @Override
    protected Channel createChannel(AssertableApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }
}
