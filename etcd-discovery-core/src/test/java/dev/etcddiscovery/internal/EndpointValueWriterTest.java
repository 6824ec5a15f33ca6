package dev.etcddiscovery.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.etcddiscovery.registration.MetadataEncoding;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("library-versions")
class EndpointValueWriterTest {

    private final EndpointValueWriter writer = new EndpointValueWriter();

    @Test
    void writesNullMetadataLikeEtcdsGoWriter() {
        assertThat(write("10.0.0.5:9090", null)).isEqualTo("{\"Op\":0,\"Addr\":\"10.0.0.5:9090\",\"Metadata\":null}");
    }

    @Test
    void writesMapMetadataAsObjectByDefault() {
        Object metadata = this.writer.encodeMetadata(zoneAndVersion(), MetadataEncoding.OBJECT);
        assertThat(write("h:1", metadata))
            .isEqualTo("{\"Op\":0,\"Addr\":\"h:1\",\"Metadata\":{\"zone\":\"a\",\"version\":\"1\"}}");
    }

    @Test
    void writesMapMetadataAsOneJsonStringForGoClients() {
        Object metadata = this.writer.encodeMetadata(zoneAndVersion(), MetadataEncoding.STRING);
        assertThat(write("h:1", metadata)).isEqualTo("{\"Op\":0,\"Addr\":\"h:1\","
                + "\"Metadata\":\"{\\\"zone\\\":\\\"a\\\",\\\"version\\\":\\\"1\\\"}\"}");
    }

    @Test
    void noConfiguredMetadataIsNullInEitherEncoding() {
        assertThat(this.writer.encodeMetadata(Map.of(), MetadataEncoding.OBJECT)).isNull();
        assertThat(this.writer.encodeMetadata(Map.of(), MetadataEncoding.STRING)).isNull();
    }

    private String write(String address, Object metadata) {
        return new String(this.writer.write(address, metadata), StandardCharsets.UTF_8);
    }

    private static Map<String, String> zoneAndVersion() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "a");
        metadata.put("version", "1");
        return metadata;
    }
}
