package dev.etcddiscovery.spring;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

import org.springframework.boot.ssl.SslBundles;

/**
 * Builds a jetcd {@link Client} from validated {@link EtcdDiscoveryProperties}. The namespace is not applied here:
 * it is part of the keys that the resolver and the registration build, so a user-supplied client behaves the same.
 */
final class EtcdClientFactory {

    private EtcdClientFactory() {
    }

    static Client create(EtcdDiscoveryProperties properties, SslBundles sslBundles) {
        ClientBuilder builder = Client.builder()
            .endpoints(properties.getEndpoints().toArray(URI[]::new))
            .connectTimeout(properties.getConnectTimeout());
        if (properties.getUsername() != null && !properties.getUsername().isBlank()) {
            builder.user(ByteSequence.from(properties.getUsername(), StandardCharsets.UTF_8));
            builder.password(ByteSequence.from(properties.getPassword(), StandardCharsets.UTF_8));
        }
        // jetcd ignores the URL scheme: TLS is on exactly when it gets an SslContext
        if (usesHttps(properties)) {
            builder.sslContext(EtcdSslContextFactory.create(properties.getSsl(), sslBundles));
        }
        return builder.build();
    }

    private static boolean usesHttps(EtcdDiscoveryProperties properties) {
        return properties.getEndpoints().stream().anyMatch((endpoint) -> "https".equals(endpoint.getScheme()));
    }
}
