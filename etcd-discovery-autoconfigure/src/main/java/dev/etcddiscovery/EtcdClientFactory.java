package dev.etcddiscovery;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

/**
 * Builds a jetcd {@link Client} from {@link EtcdDiscoveryProperties}.
 */
final class EtcdClientFactory {

    private EtcdClientFactory() {
    }

    static Client create(EtcdDiscoveryProperties properties) {
        ClientBuilder builder = Client.builder()
            .endpoints(properties.getEndpoints().toArray(java.net.URI[]::new))
            .connectTimeout(properties.getConnectTimeout());
        if (properties.getUsername() != null && !properties.getUsername().isEmpty()) {
            builder.user(ByteSequence.from(properties.getUsername(), StandardCharsets.UTF_8));
            builder.password(ByteSequence.from(String.valueOf(properties.getPassword()), StandardCharsets.UTF_8));
        }
        return builder.build();
    }
}
