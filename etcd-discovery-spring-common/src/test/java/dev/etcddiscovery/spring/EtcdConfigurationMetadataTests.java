package dev.etcddiscovery.spring;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata that spring-boot-configuration-processor generates: a description for every property, in every
 * jar of the line that has some (the shared properties, and a line's own, such as Boot 3.5's gRPC version check).
 */
class EtcdConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescriptionAndTheBasePropertiesHaveTheirDefaults() throws Exception {
        List<JsonNode> properties = new ArrayList<>();
        for (URL resource : Collections.list(getClass().getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = resource.openStream()) {
                new ObjectMapper().readTree(in).path("properties").forEach(properties::add);
            }
        }
        List<String> undocumented = new ArrayList<>();
        Map<String, String> defaults = new HashMap<>();
        for (JsonNode property : properties) {
            String name = property.path("name").asText();
            if (!name.startsWith("etcd.discovery.")) {
                continue;
            }
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
