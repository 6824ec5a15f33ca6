package dev.etcddiscovery.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property table of {@code docs/configuration.md} is the configuration metadata the build generates from
 * {@code EtcdDiscoveryProperties} (and the additional metadata files), rendered: a property added, removed, renamed or
 * described differently in the code fails this test until the page says the same. Run it with
 * {@code -Ddocs.update=true} to rewrite the table.
 */
class ConfigurationReferenceTest {

    static final Path PAGE = Paths.get("..", "docs", "configuration.md");

    private static final String START = "<!-- properties:start -->";

    private static final String END = "<!-- properties:end -->";

    private static final String PREFIX = "etcd.discovery.";

    @Test
    void thePropertyTableIsTheConfigurationMetadata() throws IOException {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        int start = page.indexOf(START);
        int end = page.indexOf(END);
        assertThat(start).as("%s has the markers %s and %s", PAGE, START, END).isNotNegative();
        assertThat(end).isGreaterThan(start);
        String table = table(properties());
        String updated = page.substring(0, start + START.length()) + "\n" + table + page.substring(end);
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(PAGE, updated, StandardCharsets.UTF_8);
        }
        assertThat(page).as("%s's property table differs from the configuration metadata; rewrite it with "
                + "./mvnw -pl etcd-discovery-autoconfigure -am verify -Dtest=ConfigurationReferenceTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true", PAGE).isEqualTo(updated);
    }

    /** Every etcd.discovery.* property of the metadata on the class path (spring-common's and this line's). */
    private static Map<String, JsonNode> properties() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> properties = new TreeMap<>();
        for (URL resource : Collections.list(ConfigurationReferenceTest.class.getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = resource.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    if (name.startsWith(PREFIX) && !property.has("deprecation")) {
                        properties.put(name, property);
                    }
                }
            }
        }
        assertThat(properties).as("etcd.discovery.* properties in the class path's metadata").isNotEmpty();
        return properties;
    }

    private static String table(Map<String, JsonNode> properties) {
        List<String> rows = new ArrayList<>(List.of("| Property | Default | Description |", "|---|---|---|"));
        properties.forEach((name, property) -> rows.add("| `" + name + "` | " + defaultValue(property.get("defaultValue"))
                + " | " + cell(property.path("description").asText("")) + " |"));
        return String.join("\n", rows) + "\n";
    }

    private static String defaultValue(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach((item) -> items.add(item.asText()));
            return items.stream().map((item) -> "`" + item + "`").collect(Collectors.joining(", "));
        }
        return value.asText().isEmpty() ? "(empty)" : "`" + value.asText() + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
