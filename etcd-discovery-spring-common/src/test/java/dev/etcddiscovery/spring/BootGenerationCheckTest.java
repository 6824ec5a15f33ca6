package dev.etcddiscovery.spring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BootGenerationCheckTest {

    private final BootGenerationCheck check = new BootGenerationCheck("etcd-discovery-starter", 3, "the other one");

    @Test
    void theServedGenerationPasses() {
        assertThat(this.check.mismatch("3.5.7")).isNull();
        assertThat(this.check.mismatch("3.4.0-SNAPSHOT")).isNull();
    }

    @Test
    void anotherGenerationNamesBothStarters() {
        assertThat(this.check.mismatch("4.1.2")).isEqualTo(
                "etcd-discovery-starter serves Spring Boot 3, but this application runs Spring Boot 4.1.2: "
                        + "use the other one instead");
    }

    @Test
    void anUnknownVersionPasses() {
        assertThat(this.check.mismatch(null)).isNull();
        assertThat(this.check.mismatch("unknown")).isNull();
    }
}
