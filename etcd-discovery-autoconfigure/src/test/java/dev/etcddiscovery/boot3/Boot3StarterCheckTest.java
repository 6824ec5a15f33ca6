package dev.etcddiscovery.boot3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class Boot3StarterCheckTest {

    @Test
    void onBoot4OneWarnNamesTheStarterToUseAndWhatIsMissing(CapturedOutput output) {
        Boot3StarterCheck check = new Boot3StarterCheck(() -> "4.1.2");
        check.onApplicationEvent(null);
        check.onApplicationEvent(null);

        assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
            .asString()
            .contains("etcd-discovery-starter serves Spring Boot 3, but this application runs Spring Boot 4.1.2")
            .contains("use etcd-discovery-spring-grpc-starter")
            .contains("no etcdDiscovery health indicator");
    }

    @Test
    void onBoot3NothingIsLogged(CapturedOutput output) {
        new Boot3StarterCheck(() -> "3.5.7").onApplicationEvent(null);

        assertThat(output.getOut()).doesNotContain("Boot3StarterCheck");
    }

    @Test
    void theBootOfThisTestIsTheServedOne(CapturedOutput output) {
        new Boot3StarterCheck().onApplicationEvent(null);

        assertThat(output.getOut()).doesNotContain("Boot3StarterCheck");
    }
}
