package dev.etcddiscovery.spring;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

import org.springframework.boot.ssl.SslBundle;

/**
 * Builds a jetcd {@link Client} from the application's {@link EtcdConnectionDetails}. The namespace is not applied
 * here: it is part of the keys that the resolver and the registration build, so a user-supplied client behaves the
 * same.
 */
final class EtcdClientFactory {

    private EtcdClientFactory() {
    }

    static Client create(EtcdConnectionDetails details, Duration connectTimeout) {
        ClientBuilder builder = Client.builder()
            .endpoints(details.getEndpoints().toArray(URI[]::new))
            .connectTimeout(connectTimeout);
        if (details.getUsername() != null) {
            builder.user(ByteSequence.from(details.getUsername(), StandardCharsets.UTF_8));
            builder.password(ByteSequence.from(details.getPassword(), StandardCharsets.UTF_8));
        }
        // jetcd ignores the URL scheme: TLS is on exactly when it gets an SslContext
        SslBundle bundle = details.getSslBundle();
        if (bundle != null || usesHttps(details)) {
            try {
                builder.sslContext(EtcdSslContextFactory.create(bundle));
            }
            catch (SSLException | RuntimeException ex) {
                // the class, not toString(): a user's record of details would print its password
                throw new IllegalStateException("TLS to etcd could not be set up from the SSL bundle of "
                        + details.getClass().getName(), ex);
            }
        }
        return builder.build();
    }

    private static boolean usesHttps(EtcdConnectionDetails details) {
        return details.getEndpoints().stream().anyMatch((endpoint) -> "https".equals(endpoint.getScheme()));
    }
}
