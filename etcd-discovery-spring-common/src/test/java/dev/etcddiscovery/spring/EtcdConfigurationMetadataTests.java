package dev.etcddiscovery.spring;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The IDE metadata that spring-boot-configuration-processor generates: a description for every property. */
class EtcdConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescriptionAndTheBasePropertiesHaveTheirDefaults() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> undocumented = new ArrayList<>();
        Map<String, String> defaults = new HashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (property.path("description").asText().isBlank()) {
                undocumented.add(name);
            }
            if (property.has("defaultValue")) {
                defaults.put(name, property.path("defaultValue").toString());
            }
        }
        assertThat(undocumented).isEmpty();
        assertThat(defaults).containsEntry("etcd.discovery.endpoints", "[\"http://127.0.0.1:2379\"]")
            .containsEntry("etcd.discovery.enabled", "true")
            .containsEntry("etcd.discovery.namespace", "\"\"")
            .containsEntry("etcd.discovery.connect-timeout", "\"5s\"")
            .containsEntry("etcd.discovery.request-timeout", "\"5s\"")
            .containsEntry("etcd.discovery.fail-fast", "false");
    }
}
