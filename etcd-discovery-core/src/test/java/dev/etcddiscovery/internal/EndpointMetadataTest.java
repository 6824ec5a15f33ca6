package dev.etcddiscovery.internal;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Metadata as Jackson reads it: rerun on each line's Jackson version. */
@Tag("library-versions")
class EndpointMetadataTest {

    @Test
    void readsZoneWeightAndVersionFromAnObject() {
        EndpointMetadata metadata = EndpointMetadata.of(Map.of("zone", "a", "weight", 3, "version", "v2"));
        assertThat(metadata.zone()).isEqualTo("a");
        assertThat(metadata.weight()).isEqualTo(3);
        assertThat(metadata.fields()).containsEntry("version", "v2");
        assertThat(metadata.weightError()).isNull();
    }

    @Test
    void aJsonStringMeansTheSameAsTheObjectEtcdsGoResolverCannotRead() {
        EndpointMetadata metadata = EndpointMetadata.of("{\"zone\":\"a\",\"weight\":\"3\",\"canary\":true}");
        assertThat(metadata.zone()).isEqualTo("a");
        assertThat(metadata.weight()).isEqualTo(3);
        assertThat(metadata.canary()).isTrue();
    }

    @Test
    void anythingElseHasNoFields() {
        assertThat(EndpointMetadata.of("...")).isEqualTo(EndpointMetadata.NONE);
        assertThat(EndpointMetadata.of("{not json")).isEqualTo(EndpointMetadata.NONE);
        assertThat(EndpointMetadata.of(null)).isEqualTo(EndpointMetadata.NONE);
        assertThat(EndpointMetadata.of(java.util.List.of(1))).isEqualTo(EndpointMetadata.NONE);
        assertThat(EndpointMetadata.NONE.weight()).isOne();
        assertThat(EndpointMetadata.NONE.zone()).isNull();
    }

    @Test
    void anInvalidWeightIsOneAndSaysWhy() {
        for (Object weight : new Object[] { "heavy", 0, -2, 1.5, 10_001 }) {
            EndpointMetadata metadata = EndpointMetadata.of(Map.of("weight", weight));
            assertThat(metadata.weight()).as("weight %s", weight).isOne();
            assertThat(metadata.weightError()).contains("weight '" + weight + "'").contains("from 1 to 10000");
        }
    }

    @Test
    void aFilterMatchesServersWithEveryField() {
        MetadataFilter filter = MetadataFilter.parse("version=v2&zone=a%20b");
        assertThat(filter.matches(EndpointMetadata.of(Map.of("version", "v2", "zone", "a b", "x", "y")))).isTrue();
        assertThat(filter.matches(EndpointMetadata.of(Map.of("version", "v2")))).isFalse();
        assertThat(filter.toString()).isEqualTo("version=v2&zone=a b");
        assertThat(MetadataFilter.parse(null).isEmpty()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> MetadataFilter.parse("version"))
            .withMessageContaining("'version' in 'version' is not name=value");
    }
}
