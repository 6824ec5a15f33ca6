package dev.etcddiscovery.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchArgsTest {

    @Test
    void noNameRunsEveryBenchmarkButTheSoakTheOutageAndTheFleetWithFullCountsAndGo() {
        BenchArgs args = BenchArgs.parse();

        assertThat(args.benchmarks()).extracting(Benchmarks.Entry::name)
            .containsExactly("propagation", "first-rpc", "large", "targets", "startup", "removal", "drain",
                    "routing");
        assertThat(args.settings().name()).isEqualTo("full");
        assertThat(args.settings().goAnchor()).isTrue();
    }

    @Test
    void namesSelectBenchmarksInTheirOrderOnTheCommandLine() {
        assertThat(BenchArgs.parse("soak", "large").benchmarks()).extracting(Benchmarks.Entry::name)
            .containsExactly("soak", "large");
    }

    @Test
    void minutesSetTheSoakLengthAndSmokeSwitchesGoOffUnlessAsked() {
        BenchArgs args = BenchArgs.parse("--smoke", "soak", "--minutes", "3");

        assertThat(args.settings().soak().minutes()).isEqualTo(3);
        assertThat(args.settings().goAnchor()).isFalse();
        assertThat(BenchArgs.parse("--smoke", "--go").settings().goAnchor()).isTrue();
        assertThat(BenchArgs.parse("--no-go").settings().goAnchor()).isFalse();
    }

    @Test
    void theOutageLastsFiveMinutesUnlessMinutesSayOtherwise() {
        assertThat(BenchArgs.parse("outage").settings().outageMinutes()).isEqualTo(5);
        assertThat(BenchArgs.parse("outage", "--minutes", "2").settings().outageMinutes()).isEqualTo(2);
    }

    @Test
    void anUnknownNameIsNamedWithTheUsage() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("propagaton"))
            .withMessageContaining("Unknown benchmark or option 'propagaton'")
            .withMessageContaining(
                    "propagation|first-rpc|large|targets|startup|removal|drain|routing|soak|outage|fleet");
    }

    @Test
    void minutesMustBeAWholeNumberOfAtLeastOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("soak", "--minutes", "0"))
            .withMessage("--minutes must be a whole number of at least 1, was '0'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("soak", "--minutes", "ten"))
            .withMessage("--minutes must be a whole number of at least 1, was 'ten'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("soak", "--minutes"))
            .withMessageStartingWith("--minutes needs a number of minutes");
    }

    @Test
    void theFleetRunsAHundredAndFiveHundredClientsUnlessToldOtherwise() {
        assertThat(BenchArgs.parse("fleet").settings().fleet().clients()).containsExactly(100, 500);
        assertThat(BenchArgs.parse("fleet", "--fleet-clients", "50,1000").settings().fleet().clients())
            .containsExactly(50, 1000);
        assertThat(BenchArgs.parse("--smoke", "fleet", "--fleet-clients", "7").settings().fleet())
            .satisfies((fleet) -> assertThat(fleet.clients()).containsExactly(7))
            .isEqualTo(Settings.Fleet.smoke().withClients(List.of(7)));
    }

    @Test
    void fleetClientsMustBeWholeNumbersOfAtLeastOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("fleet", "--fleet-clients", "100,0"))
            .withMessage("--fleet-clients must be whole numbers of at least 1 separated by commas, was '100,0'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("fleet", "--fleet-clients", "lots"))
            .withMessage("--fleet-clients must be whole numbers of at least 1 separated by commas, was 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("fleet", "--fleet-clients"))
            .withMessageStartingWith("--fleet-clients needs client counts");
    }

    @Test
    void largeEndpointsAreCountsSeparatedByCommas() {
        assertThat(BenchArgs.parse("large").settings().largeEndpoints()).containsExactly(10_000, 100_000);
        assertThat(BenchArgs.parse("large", "--large-endpoints", "10000,100000,1000").settings().largeEndpoints())
            .containsExactly(10_000, 100_000, 1_000);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> BenchArgs.parse("large", "--large-endpoints", "10000,0"))
            .withMessage("--large-endpoints must be whole numbers of at least 1 separated by commas, was '10000,0'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchArgs.parse("large", "--large-endpoints"))
            .withMessageStartingWith("--large-endpoints needs counts");
    }
}
