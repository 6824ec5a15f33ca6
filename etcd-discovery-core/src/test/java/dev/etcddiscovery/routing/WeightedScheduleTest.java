package dev.etcddiscovery.routing;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WeightedScheduleTest {

    @Test
    void oneToThreeIsExactlyAQuarterAndThreeQuartersOverTenThousandPicks() {
        assertThat(picks(new int[] { 1, 3 }, 10_000)).containsExactly(2_500, 7_500);
    }

    @Test
    void equalWeightsTakeTurnsAsRoundRobinDoes() {
        WeightedSchedule schedule = new WeightedSchedule(new int[] { 1, 1, 1 }, new AtomicInteger());
        assertThat(new int[] { schedule.next(), schedule.next(), schedule.next(), schedule.next() })
            .containsExactly(0, 1, 2, 0);
    }

    @Test
    void aHeavyServersPicksAreSpreadOverTheCycleNotBunched() {
        WeightedSchedule schedule = new WeightedSchedule(new int[] { 1, 3 }, new AtomicInteger());
        int[] cycle = { schedule.next(), schedule.next(), schedule.next(), schedule.next() };
        // never two picks of the light server in a row, and the light one comes once per cycle
        assertThat(cycle).containsOnlyOnce(0).contains(1);
        assertThat(schedule.length()).isEqualTo(4);
    }

    @Test
    void weightsAreReducedByTheirCommonDivisor() {
        assertThat(new WeightedSchedule(new int[] { 100, 300 }, new AtomicInteger()).length()).isEqualTo(4);
    }

    @Test
    void aCycleLongerThanTheLimitIsScaledDownKeepingEveryServer() {
        int[] weights = new int[100];
        java.util.Arrays.fill(weights, 9_999);
        weights[0] = 1;
        WeightedSchedule schedule = new WeightedSchedule(weights, new AtomicInteger());
        assertThat(schedule.length()).isLessThanOrEqualTo(WeightedSchedule.MAX_LENGTH);
        assertThat(picks(weights, schedule.length())[0]).isOne();
    }

    @Test
    void thePicksOfConcurrentCallersStillAddUp() throws Exception {
        WeightedSchedule schedule = new WeightedSchedule(new int[] { 1, 3 }, new AtomicInteger());
        AtomicInteger light = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_500; i++) {
                    if (schedule.next() == 0) {
                        light.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(light.get()).isEqualTo(2_500);
    }

    @Test
    void rejectsNoServersAndWeightsBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new WeightedSchedule(new int[0], new AtomicInteger()));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new WeightedSchedule(new int[] { 1, 0 }, new AtomicInteger()))
            .withMessageContaining("at least 1");
    }

    private static int[] picks(int[] weights, int calls) {
        WeightedSchedule schedule = new WeightedSchedule(weights, new AtomicInteger(12345));
        int[] counts = new int[weights.length];
        for (int i = 0; i < calls; i++) {
            counts[schedule.next()]++;
        }
        return counts;
    }
}
