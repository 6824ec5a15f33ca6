package dev.etcddiscovery.routing;

import java.util.Map;

import io.grpc.Metadata;

/**
 * The settings of the {@code etcd_routing} policy, from its service-config entry
 * {@code {"etcd_routing": {"zone": "a", "zoneThreshold": 1, "routeHeader": "x-etcd-route"}}}, every field optional.
 *
 * @param zone the client's zone, or null to spread calls over every zone
 * @param zoneThreshold how many usable servers the client's zone needs to keep the calls to itself
 * @param routeHeader the request header whose value ({@code version=v2}) routes one call
 */
record RoutingConfig(String zone, int zoneThreshold, Metadata.Key<String> routeHeader) {

    static final RoutingConfig DEFAULT = new RoutingConfig(null, 1,
            Metadata.Key.of(EtcdRoutingLoadBalancerProvider.DEFAULT_ROUTE_HEADER, Metadata.ASCII_STRING_MARSHALLER));

    /**
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static RoutingConfig parse(Map<String, ?> raw) {
        if (raw == null) {
            return DEFAULT;
        }
        Object zone = raw.get("zone");
        if (zone != null && !(zone instanceof String)) {
            throw new IllegalArgumentException("etcd_routing: 'zone' must be a string, was " + zone);
        }
        Object threshold = raw.get("zoneThreshold");
        int zoneThreshold = 1;
        if (threshold != null) {
            // service-config JSON numbers reach policies as Double
            if (!(threshold instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                    || number.doubleValue() < 1) {
                throw new IllegalArgumentException(
                        "etcd_routing: 'zoneThreshold' must be a whole number of at least 1, was " + threshold);
            }
            zoneThreshold = number.intValue();
        }
        Object header = raw.get("routeHeader");
        if (header != null && (!(header instanceof String name) || name.isBlank() || name.endsWith("-bin"))) {
            throw new IllegalArgumentException(
                    "etcd_routing: 'routeHeader' must be a header name not ending in -bin, was " + header);
        }
        String headerName = (header != null) ? ((String) header).trim() : EtcdRoutingLoadBalancerProvider.DEFAULT_ROUTE_HEADER;
        String zoneName = (zone != null && !((String) zone).isBlank()) ? ((String) zone).trim() : null;
        return new RoutingConfig(zoneName, zoneThreshold,
                Metadata.Key.of(headerName, Metadata.ASCII_STRING_MARSHALLER));
    }
}
