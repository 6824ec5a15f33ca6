package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NewClusterGracePeriodTest {

    private final NewClusterGracePeriod gracePeriod = new NewClusterGracePeriod(Duration.ofSeconds(30));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopScheduler() {
        this.scheduler.shutdownNow();
    }

    @Test
    void anEmptyFirstListOfANewClusterKeepsAPreviousListWithEndpoints() {
        assertThat(this.gracePeriod.keepsPrevious(true, true, true)).isTrue();
    }

    @Test
    void anythingElseIsHandedOutWhileThePeriodIsNotRunning() {
        assertThat(this.gracePeriod.keepsPrevious(false, true, true)).isFalse();
        assertThat(this.gracePeriod.keepsPrevious(true, false, true)).isFalse();
        assertThat(this.gracePeriod.keepsPrevious(true, true, false)).isFalse();
    }

    @Test
    void aZeroPeriodNeverKeepsThePreviousList() {
        assertThat(new NewClusterGracePeriod(Duration.ZERO).keepsPrevious(true, true, true)).isFalse();
    }

    @Test
    void whileRunningEveryEmptyListKeepsThePreviousOneAndTheFirstNonEmptyOneIsHandedOut() {
        this.gracePeriod.started(farAwayTimer());
        assertThat(this.gracePeriod.isRunning()).isTrue();
        assertThat(this.gracePeriod.keepsPrevious(true, false, false)).isTrue();
        assertThat(this.gracePeriod.keepsPrevious(false, false, false)).isFalse();
    }

    @Test
    void endingThePeriodCancelsItsTimer() {
        ScheduledHandle timer = farAwayTimer();
        this.gracePeriod.started(timer);
        this.gracePeriod.end();
        assertThat(this.gracePeriod.isRunning()).isFalse();
        assertThat(timer.isPending()).isFalse();
    }

    @Test
    void anExpiredPeriodIsNoLongerRunning() {
        this.gracePeriod.started(farAwayTimer());
        this.gracePeriod.expired();
        assertThat(this.gracePeriod.isRunning()).isFalse();
        assertThat(this.gracePeriod.keepsPrevious(true, false, true)).isFalse();
    }

    @Test
    void aPeriodWithoutATimerBecauseTheWatchIsClosingIsNotRunning() {
        this.gracePeriod.started(null);
        assertThat(this.gracePeriod.isRunning()).isFalse();
    }

    private ScheduledHandle farAwayTimer() {
        SynchronizationContext context = new SynchronizationContext((thread, ex) -> {
            throw new AssertionError(ex);
        });
        return context.schedule(() -> {
        }, 1, TimeUnit.HOURS, this.scheduler);
    }
}
