package dev.etcddiscovery.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcddiscovery.registration.MetadataEncoding;


/**
 * Writes an endpoint value the way etcd's Go {@code endpoints} package does:
 * {@code {"Op":0,"Addr":"host:port","Metadata":null}}.
 */
public final class EndpointValueWriter {

    /** etcd's {@code endpoints.Add}. */
    private static final int OP_ADD = 0;

    // A private mapper: the application's ObjectMapper may be set to drop nulls, and "Metadata":null must stay.
    private final ObjectMapper mapper = new ObjectMapper();

    /** The UTF-8 JSON value for an endpoint. */
    public byte[] write(String address, Object metadata) {
        try {
            return this.mapper.writeValueAsString(new EndpointValue(OP_ADD, address, metadata))
                .getBytes(StandardCharsets.UTF_8);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("Metadata of endpoint " + address + " cannot be written as JSON: "
                    + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * The {@code "Metadata"} value for configured metadata: null when there is none, the map itself (a JSON object),
     * or the map written as one JSON string, which etcd's Go resolver accepts under round_robin.
     */
    public Object encodeMetadata(Map<String, String> metadata, MetadataEncoding encoding) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        if (encoding == MetadataEncoding.OBJECT) {
            return metadata;
        }
        try {
            return this.mapper.writeValueAsString(metadata);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("Registration metadata cannot be written as JSON", ex);
        }
    }

    @JsonPropertyOrder({ "Op", "Addr", "Metadata" })
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private record EndpointValue(@JsonProperty("Op") int op, @JsonProperty("Addr") String addr,
            @JsonProperty("Metadata") Object metadata) {
    }
}
