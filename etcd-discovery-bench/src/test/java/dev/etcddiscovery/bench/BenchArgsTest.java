package dev.etcddiscovery.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchArgsTest {

    @Test
    void noNameRunsEveryBenchmarkWithFullCountsAndGo() {
        BenchArgs args = BenchArgs.parse();

        assertThat(args.benchmarks()).extracting(Benchmarks.Entry::name)
            .containsExactly("propagation", "first-rpc", "large", "targets", "startup", "removal");
        assertThat(args.settings().name()).isEqualTo("full");
        assertThat(args.settings().goAnchor()).isTrue();
    }

    @Test
    void namesSelectBenchmarksInTheirOrderOnTheCommandLine() {
        assertThat(BenchArgs.parse("large", "propagation").benchmarks()).extracting(Benchmarks.Entry::name)
            .containsExactly("large", "propagation");
    }

    @Test
    void smokeSwitchesGoOffUnlessAsked() {
        assertThat(BenchArgs.parse("--smoke").settings().goAnchor()).isFalse();
        assertThat(BenchArgs.parse("--smoke", "--go").settings().goAnchor()).isTrue();
        assertThat(BenchArgs.parse("--no-go").settings().goAnchor()).isFalse();
    }

    @Test
    void anUnknownNameIsNamedWithTheUsage() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("propagaton"))
            .withMessageContaining("Unknown benchmark or option 'propagaton'")
            .withMessageContaining("propagation|first-rpc|large|targets|startup|removal");
    }
}
