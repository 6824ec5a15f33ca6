package dev.etcddiscovery.boot3;

import java.util.ArrayList;
import java.util.List;

import dev.etcddiscovery.spring.resolver.AbstractRegistryPoisoningTest;
import dev.etcddiscovery.test.EtcdCertificates;
import dev.etcddiscovery.test.EtcdCluster;
import io.grpc.Channel;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

/** {@link AbstractRegistryPoisoningTest} on grpc-spring's TLS client channels ({@code grpc.client.<name>.security.*}). */
class RegistryPoisoningTest extends AbstractRegistryPoisoningTest {

    RegistryPoisoningTest(EtcdCluster etcd) {
        super(etcd);
    }

    @Override
    protected Class<?>[] grpcClientAutoConfigurations() {
        return new Class<?>[] { GrpcClientAutoConfiguration.class };
    }

    @Override
    protected String[] tlsChannel(String name, String target, EtcdCertificates certificates,
            EtcdCertificates.Issued clientCertificate) {
        String channel = "grpc.client." + name + ".";
        List<String> properties = new ArrayList<>(List.of(channel + "address=" + target,
                channel + "negotiation-type=tls",
                channel + "security.trust-cert-collection=file:" + certificates.caCertificate()));
        if (clientCertificate != null) {
            properties.addAll(List.of(channel + "security.client-auth-enabled=true",
                    channel + "security.certificate-chain=file:" + clientCertificate.certificate(),
                    channel + "security.private-key=file:" + clientCertificate.privateKey()));
        }
        return properties.toArray(String[]::new);
    }

    @Override
    protected Channel createChannel(AssertableApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }
}
