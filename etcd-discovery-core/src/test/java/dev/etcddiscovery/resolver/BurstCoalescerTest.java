package dev.etcddiscovery.resolver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BurstCoalescerTest {

    private final BurstCoalescer coalescer = new BurstCoalescer();

    @Test
    void theFirstListIsHandedOutAtOnce() {
        assertThat(this.coalescer.holdBackNanos(1_000, false)).isZero();
    }

    @Test
    void aSecondChangeInARowThatComesSoonerThanTheLastListTookIsHeldBackForTheRestOfThatTime() {
        this.coalescer.handedOut(1_000, 1_100);
        assertThat(this.coalescer.holdBackNanos(1_150, true)).isZero();
        assertThat(this.coalescer.holdBackNanos(1_160, true)).isEqualTo(40);
    }

    @Test
    void oneChangeAfterASlowListIsNotHeldUp() {
        this.coalescer.handedOut(1_000, 1_100);
        assertThat(this.coalescer.holdBackNanos(1_150, true)).isZero();
        this.coalescer.handedOut(1_150, 1_160);
        assertThat(this.coalescer.holdBackNanos(1_200, true)).isZero();
    }

    @Test
    void aChangeAfterTheLastListTookItsTimeGoesOutAtOnceAndStartsCountingAgain() {
        this.coalescer.handedOut(1_000, 1_100);
        assertThat(this.coalescer.holdBackNanos(1_150, true)).isZero();
        assertThat(this.coalescer.holdBackNanos(1_250, true)).isZero();
        assertThat(this.coalescer.holdBackNanos(1_260, true)).isZero();
    }

    @Test
    void nothingIsHeldBackBeforeAnyListWasHandedOut() {
        this.coalescer.handedOut(1_000, 1_100);
        assertThat(this.coalescer.holdBackNanos(1_150, false)).isZero();
        assertThat(this.coalescer.holdBackNanos(1_160, false)).isZero();
    }
}
