package dev.etcddiscovery.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A set of metadata fields a server must have, written {@code version=v2&zone=a}: the query of an
 * {@code etcd:///greeter?version=v2} target, and the value of a call's route header. A server matches when every
 * field is present with exactly that value (text comparison, see {@link EndpointMetadata}).
 */
public final class MetadataFilter {

    /** The filter every server matches. */
    public static final MetadataFilter NONE = new MetadataFilter(Map.of());

    private final Map<String, String> fields;

    private MetadataFilter(Map<String, String> fields) {
        this.fields = fields;
    }

    /**
     * Parses {@code name=value} pairs joined by {@code &}; names and values may be URL-encoded.
     * @throws IllegalArgumentException naming the pair that is not {@code name=value}
     */
    public static MetadataFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("'" + pair + "' in '" + text
                        + "' is not name=value (e.g. version=v2, several joined by &)");
            }
            fields.put(decode(pair.substring(0, equals).trim()), decode(pair.substring(equals + 1).trim()));
        }
        return new MetadataFilter(Collections.unmodifiableMap(fields));
    }

    /** Whether every server matches. */
    public boolean isEmpty() {
        return this.fields.isEmpty();
    }

    public boolean matches(EndpointMetadata metadata) {
        for (Map.Entry<String, String> field : this.fields.entrySet()) {
            if (!field.getValue().equals(metadata.fields().get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MetadataFilter filter && this.fields.equals(filter.fields);
    }

    @Override
    public int hashCode() {
        return this.fields.hashCode();
    }

    /** The filter as written, fields in the order given, e.g. {@code version=v2&zone=a}. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner("&");
        this.fields.forEach((name, value) -> text.add(name + "=" + value));
        return text.toString();
    }
}
