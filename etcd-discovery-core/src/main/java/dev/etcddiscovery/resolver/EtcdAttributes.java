package dev.etcddiscovery.resolver;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;

/**
 * Attribute keys the etcd resolver puts on what it hands to gRPC, for custom load balancers and interceptors.
 *
 * <pre>{@code
 * String key = eag.getAttributes().get(EtcdAttributes.ETCD_KEY);        // "greeter/10.0.0.5:9090"
 * Object metadata = eag.getAttributes().get(EtcdAttributes.METADATA);   // e.g. Map {"zone": "a"}
 * }</pre>
 */
public final class EtcdAttributes {

    /** The etcd key an {@link EquivalentAddressGroup} was read from. */
    public static final Attributes.Key<String> ETCD_KEY = Attributes.Key.create("etcd-key");

    /**
     * The endpoint's "Metadata" as plain Java values: a {@code Map<String, Object>} for a JSON object, a
     * {@code List}, {@code String}, {@code Number} or {@code Boolean}. Absent when the value has no metadata or
     * it is JSON {@code null}.
     */
    public static final Attributes.Key<Object> METADATA = Attributes.Key.create("etcd-metadata");

    /**
     * On a resolution result with no addresses: why there are none. gRPC's load balancers quote the result's
     * attributes in the UNAVAILABLE status of failed calls, so the reason reaches the caller.
     */
    public static final Attributes.Key<String> NO_ENDPOINTS = Attributes.Key.create("etcd");

    private EtcdAttributes() {
    }
}
