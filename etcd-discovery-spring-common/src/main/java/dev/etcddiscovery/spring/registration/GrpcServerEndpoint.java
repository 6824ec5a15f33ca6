package dev.etcddiscovery.spring.registration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.etcddiscovery.internal.EndpointMetadata;
import dev.etcddiscovery.internal.EndpointValueWriter;
import dev.etcddiscovery.registration.EndpointRegistration;
import dev.etcddiscovery.registration.HostAddressDetector;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;

/**
 * What the application's gRPC server registers, resolved from {@code etcd.discovery.registration.*} at startup;
 * only the port waits for the server to bind.
 *
 * @param service the service name
 * @param host the host or IP address clients connect to
 * @param port the configured port, or null for the bound port
 * @param metadata the encoded {@code "Metadata"} value
 * @param ttl the lease TTL
 */
public record GrpcServerEndpoint(String service, String host, Integer port, Object metadata, Duration ttl) {

    private static final String PREFIX = EtcdDiscoveryProperties.PREFIX + ".registration.";

    /**
     * Resolves the endpoint from properties.
     * @param applicationName {@code spring.application.name}, the default service name (may be null)
     * @param detector finds the host when none is configured
     * @throws IllegalStateException naming both properties when there is no service name (the other values were
     * checked when the properties were bound, by {@code EtcdDiscoveryPropertiesValidator})
     */
    public static GrpcServerEndpoint from(EtcdDiscoveryProperties.Registration properties, String applicationName,
            HostAddressDetector detector, EndpointValueWriter valueWriter) {
        String service = hasText(properties.getServiceName()) ? properties.getServiceName() : applicationName;
        if (!hasText(service)) {
            throw new IllegalStateException("No service name to register the gRPC server in etcd under: set "
                    + PREFIX + "service-name or spring.application.name (or turn registration off with " + PREFIX
                    + "enabled=false)");
        }
        String host = hasText(properties.getHost()) ? properties.getHost().trim()
                : detector.detectHost(properties.isPreferIpAddress());
        Object metadata = valueWriter.encodeMetadata(metadata(properties), properties.getMetadataEncoding());
        return new GrpcServerEndpoint(service.trim(), host, properties.getPort(), metadata, properties.getTtl());
    }

    /**
     * The configured metadata with the routing fields of {@code zone}, {@code weight} and {@code version} beside it;
     * a routing property wins over a metadata entry of the same name.
     */
    private static Map<String, String> metadata(EtcdDiscoveryProperties.Registration properties) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (properties.getMetadata() != null) {
            metadata.putAll(properties.getMetadata());
        }
        if (hasText(properties.getZone())) {
            metadata.put(EndpointMetadata.ZONE, properties.getZone().trim());
        }
        if (properties.getWeight() != null) {
            metadata.put(EndpointMetadata.WEIGHT, properties.getWeight().toString());
        }
        if (hasText(properties.getVersion())) {
            metadata.put(EndpointMetadata.VERSION, properties.getVersion().trim());
        }
        return metadata;
    }

    /** The registration for a server bound to {@code boundPort}. */
    public EndpointRegistration registrationFor(int boundPort) {
        int advertised = (this.port != null) ? this.port : boundPort;
        return new EndpointRegistration(this.service, EndpointRegistration.address(this.host, advertised),
                this.metadata, this.ttl);
    }

    private static boolean hasText(String text) {
        return text != null && !text.isBlank();
    }
}
