package dev.etcddiscovery.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What routing reads from an endpoint's {@code "Metadata"}: its fields as text, and the {@code zone}, {@code weight}
 * and {@code canary} fields. Both encodings mean the same: a JSON object, or one JSON string holding an object (as
 * written for etcd's Go resolver, by {@code etcdctl} or Go's {@code endpoints.Manager}). Field names are matched
 * exactly; values are compared as text, so {@code "weight":3} and {@code "weight":"3"} are the same.
 *
 * @param fields every field whose value is a string, number or boolean, as text
 * @param weight the {@code weight} field, or {@link #DEFAULT_WEIGHT} when it is absent or not valid
 * @param weightError why the {@code weight} field is not valid, or null when it is absent or valid
 */
public record EndpointMetadata(Map<String, String> fields, int weight, String weightError) {

    /** Metadata field of the server's zone. */
    public static final String ZONE = "zone";

    /** Metadata field of the server's weight: a whole number from 1 to {@link #MAX_WEIGHT}. */
    public static final String WEIGHT = "weight";

    /** Metadata field of the server's version. */
    public static final String VERSION = "version";

    /** Metadata field that marks a canary: {@code "true"} keeps calls without a route away from it. */
    public static final String CANARY = "canary";

    /** The weight of a server that has none, or an invalid one. */
    public static final int DEFAULT_WEIGHT = 1;

    /** The largest weight: 10,000 times a server of weight 1. */
    public static final int MAX_WEIGHT = 10_000;

    /** Metadata with no fields. */
    public static final EndpointMetadata NONE = new EndpointMetadata(Map.of(), DEFAULT_WEIGHT, null);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads the metadata the resolver hands to gRPC ({@code EtcdAttributes.METADATA}).
     * @param metadata a {@code Map}, a {@code String} holding a JSON object, or anything else (no fields)
     */
    public static EndpointMetadata of(Object metadata) {
        Map<?, ?> object = asObject(metadata);
        if (object == null || object.isEmpty()) {
            return NONE;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        object.forEach((name, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                fields.put(String.valueOf(name), String.valueOf(value));
            }
        });
        String weight = fields.get(WEIGHT);
        if (weight == null) {
            return new EndpointMetadata(Map.copyOf(fields), DEFAULT_WEIGHT, null);
        }
        try {
            int value = Integer.parseInt(weight.trim());
            if (value >= 1 && value <= MAX_WEIGHT) {
                return new EndpointMetadata(Map.copyOf(fields), value, null);
            }
        }
        catch (NumberFormatException ex) {
            // reported below, as an out-of-range weight is
        }
        return new EndpointMetadata(Map.copyOf(fields), DEFAULT_WEIGHT,
                "weight '" + weight + "' is not a whole number from 1 to " + MAX_WEIGHT);
    }

    /** The zone, or null when the server names none. */
    public String zone() {
        String zone = this.fields.get(ZONE);
        return (zone == null || zone.isBlank()) ? null : zone;
    }

    /** Whether the server is a canary, which only calls with a matching route reach. */
    public boolean canary() {
        return "true".equalsIgnoreCase(this.fields.get(CANARY));
    }

    private static Map<?, ?> asObject(Object metadata) {
        if (metadata instanceof Map<?, ?> map) {
            return map;
        }
        if (metadata instanceof String text && text.trim().startsWith("{")) {
            try {
                return MAPPER.readValue(text, Map.class);
            }
            catch (IOException ex) {
                return null;
            }
        }
        return null;
    }
}
