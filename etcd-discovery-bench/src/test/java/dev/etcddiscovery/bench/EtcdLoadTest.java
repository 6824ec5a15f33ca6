package dev.etcddiscovery.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdLoadTest {

    @Test
    void callsAreCountedSinceTheEarlierReadingWithTheGaugesOfTheLaterOne() {
        EtcdLoad earlier = new EtcdLoad(5, 5, 100, 20, 3);
        EtcdLoad later = new EtcdLoad(7, 6, 130, 21, 3);

        assertThat(later.since(earlier)).isEqualTo(new EtcdLoad(7, 6, 30, 1, 0));
    }

    @Test
    void aCounterLowerThanBeforeCountsFromZeroBecauseEtcdRestarted() {
        EtcdLoad beforeRestart = new EtcdLoad(9, 9, 150, 30, 4);
        EtcdLoad afterRestart = new EtcdLoad(5, 5, 12, 6, 0);

        assertThat(afterRestart.since(beforeRestart)).isEqualTo(new EtcdLoad(5, 5, 12, 6, 0));
        assertThat(beforeRestart.since(new EtcdLoad(5, 5, 100, 20, 3)).plus(afterRestart.since(EtcdLoad.NONE)))
            .isEqualTo(new EtcdLoad(5, 5, 62, 16, 1));
    }
}
