package dev.etcddiscovery.spring.cloud;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcddiscovery.internal.EndpointMetadata;
import dev.etcddiscovery.resolver.EtcdAttributes;
import dev.etcddiscovery.resolver.FollowedPrefix;
import dev.etcddiscovery.resolver.ServiceDirectory;
import io.grpc.EquivalentAddressGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The instances of the services Spring Cloud asked for, read from the same shared watches as {@code etcd:///}
 * channels: the first lookup of a service starts following {@code <namespace><service>/} (and waits up to the
 * request timeout for its first list); later lookups read the followed state without asking etcd. A service stays
 * followed until {@link #close()}. Every list after the first is reported to the change listener.
 */
public class EtcdServiceInstances implements AutoCloseable {

    /** Metadata entry with the port grpc-spring's discovery resolver dials. */
    public static final String GRPC_PORT = "gRPC_port";

    /**
     * Metadata entry holding a {@code Metadata} that is not a JSON object; when it is a string holding one, that
     * object's fields are entries as well.
     */
    public static final String METADATA = "metadata";

    private static final Logger logger = LoggerFactory.getLogger(EtcdServiceInstances.class);

    private final ServiceDirectory directory;

    private final String namespace;

    private final Duration firstListTimeout;

    private final Consumer<String> changeListener;

    private final ObjectMapper mapper = new ObjectMapper();

    private final Map<String, FollowedPrefix> followed = new ConcurrentHashMap<>();

    /**
     * @param changeListener told the name of a followed service whose instances changed, on a watch thread
     */
    public EtcdServiceInstances(ServiceDirectory directory, String namespace, Duration firstListTimeout,
            Consumer<String> changeListener) {
        this.directory = directory;
        this.namespace = (namespace != null) ? namespace : "";
        this.firstListTimeout = firstListTimeout;
        this.changeListener = changeListener;
    }

    /** The instances of {@code serviceId}, one per usable key, in key order. */
    public List<ServiceInstance> instances(String serviceId) {
        if (serviceId == null || serviceId.isBlank() || serviceId.contains("/")) {
            throw new IllegalArgumentException("service id must be a non-blank name without '/', was '" + serviceId
                    + "'");
        }
        FollowedPrefix prefix = this.followed.computeIfAbsent(serviceId, this::follow);
        try {
            if (!prefix.awaitFirstList(this.firstListTimeout)) {
                logger.debug("etcd prefix '{}' not listed yet; no instances of '{}' known", prefix.prefix(),
                        serviceId);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        List<ServiceInstance> instances = new ArrayList<>();
        for (EquivalentAddressGroup group : prefix.endpoints()) {
            instances.add(instance(serviceId, group));
        }
        return instances;
    }

    @Override
    public void close() {
        this.followed.values().forEach(FollowedPrefix::close);
        this.followed.clear();
    }

    private FollowedPrefix follow(String serviceId) {
        return this.directory.follow(this.namespace + serviceId + "/",
                (endpoints) -> this.changeListener.accept(serviceId));
    }

    private ServiceInstance instance(String serviceId, EquivalentAddressGroup group) {
        String key = group.getAttributes().get(EtcdAttributes.ETCD_KEY);
        InetSocketAddress address = firstAddress(group);
        Map<String, String> metadata = metadata(group.getAttributes().get(EtcdAttributes.METADATA));
        metadata.put(GRPC_PORT, Integer.toString(address.getPort()));
        String instanceId = key.substring(key.lastIndexOf('/') + 1);
        return new DefaultServiceInstance(instanceId, serviceId, address.getHostString(), address.getPort(), false,
                metadata);
    }

    private static InetSocketAddress firstAddress(EquivalentAddressGroup group) {
        for (SocketAddress address : group.getAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet;
            }
        }
        throw new IllegalStateException("etcd endpoint has no IP address: " + group);
    }

    private Map<String, String> metadata(Object metadata) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (metadata instanceof Map<?, ?> fields) {
            fields.forEach((name, value) -> entries.put(String.valueOf(name), text(value)));
        }
        else if (metadata != null) {
            entries.put(METADATA, text(metadata));
            // a JSON object written as one string (for etcd's Go resolver) shows its fields too, so that Spring
            // Cloud LoadBalancer's zone preference finds "zone" in either encoding
            EndpointMetadata.of(metadata).fields().forEach(entries::putIfAbsent);
        }
        return entries;
    }

    private String text(Object value) {
        if (value instanceof String string) {
            return string;
        }
        try {
            return this.mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            return String.valueOf(value);
        }
    }
}
