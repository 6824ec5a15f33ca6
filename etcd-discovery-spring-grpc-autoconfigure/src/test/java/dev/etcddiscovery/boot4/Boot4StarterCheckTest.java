package dev.etcddiscovery.boot4;

import dev.etcddiscovery.boot4.Boot4StarterCheck.WrongBootGenerationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class Boot4StarterCheckTest {

    @Test
    void onBoot3TheStartStopsWithAReportNamingTheStarterToUse() {
        WrongBootGenerationException failure = assertThatExceptionOfType(WrongBootGenerationException.class)
            .isThrownBy(() -> new Boot4StarterCheck(() -> "3.5.7").onApplicationEvent(null))
            .actual();
        FailureAnalysis analysis = new WrongBootGenerationFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).isEqualTo("etcd-discovery-spring-grpc-starter serves Spring Boot 4, "
                + "but this application runs Spring Boot 3.5.7: use etcd-discovery-starter (grpc-spring, Boot 3.5) "
                + "instead.");
        assertThat(analysis.getAction()).contains("etcd-discovery-starter");
    }

    @Test
    void theBootOfThisTestIsTheServedOne() {
        assertThatNoException().isThrownBy(() -> new Boot4StarterCheck().onApplicationEvent(null));
    }
}
