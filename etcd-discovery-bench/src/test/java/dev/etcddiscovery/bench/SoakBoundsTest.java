package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak benchmark on a short run (6 × 6 s: steady, dead keys, a server killed, a reconnect storm, an etcd
 * restart, a server stopped) against real etcd and real JVMs, asserting the long-run bounds: watch streams and
 * watchers within what the running processes need at the end of every period, no Range calls in quiet periods
 * but the registrations' own key checks, no growing thread count, and a client that keeps being answered.
 * <p>
 * What this covers against the full soak ({@code java -jar etcd-discovery-bench.jar soak}: 10 one-minute periods,
 * 2 servers per service, 8 channels each): every disturbance once, with the same bounds per period. The bounds do
 * not depend on the period's length: watch streams and watchers are gauges read at the end of each period (and a
 * watch leaked by a disturbance is still counted at the end of every later period); a quiet period's Range calls
 * are compared with the key checks the registrations make in a period of that length (a 6 s period is more than
 * one TTL of 5 s, so each registration's check is counted twice while it can make at most two), and a resolver that
 * listed again on a refresh would list at every reconnect attempt of each of 8 channels to the dead keys or the
 * flapping server, which start within the first second. What only the full soak shows: slow drifts, such as heap
 * or threads growing over minutes, and pools that shrink after 60 s.
 * <p>
 * Tagged {@code soak}: part of every verify; {@code -Dsoak.tests.excluded=soak} (this module's pom) leaves it out
 * of a quick run. Tagged {@code slow} too, like every test that starts etcd or JVMs, so a quick lane can leave them
 * all out by one tag.
 */
@Tag("slow")
@Tag("soak")
class SoakBoundsTest {

    /** Watch streams or watchers above the budget allowed at the end of a period (one being replaced, say). */
    private static final int WATCH_SLACK = 2;

    /**
     * Range calls allowed, beyond the registrations' own key checks, in a period in which nothing failed (no server,
     * no etcd went away).
     */
    private static final int QUIET_RANGE_CALLS = 3;

    /** Client threads allowed above the first period's (pools that grow under load and shrink after 60 s). */
    private static final int THREAD_GROWTH = 8;

    @Test
    void watchesRangeCallsAndClientThreadsStayFlatUnderChurn() {
        Settings settings = Settings.smoke()
            .withSoak(new Settings.SoakSettings(6, Duration.ofSeconds(6), 1, 4, 2));

        List<SoakMinute> minutes = SoakBench.run(settings, new Report());

        SoftAssertions softly = new SoftAssertions();
        for (SoakMinute minute : minutes) {
            String period = "period " + minute.minute() + " (" + minute.disturbance() + ")";
            softly.assertThat(minute.etcd().watchStreams())
                .as("watch streams on etcd at the end of %s; budget %d", period, minute.watchBudget())
                .isLessThanOrEqualTo(minute.watchBudget() + WATCH_SLACK);
            softly.assertThat(minute.etcd().watchers())
                .as("watchers on etcd at the end of %s; budget %d", period, minute.watchBudget())
                .isLessThanOrEqualTo(minute.watchBudget() + WATCH_SLACK);
            if (minute.minute() > 0 && minute.disturbance().quiet()) {
                softly.assertThat(minute.etcd().rangeCalls())
                    .as("Range calls on etcd during quiet %s; registrations' key checks %d", period,
                            minute.keyChecks())
                    .isLessThanOrEqualTo(minute.keyChecks() + QUIET_RANGE_CALLS);
            }
            if (minute.minute() > 0) {
                softly.assertThat(minute.callsAnswered()).as("client calls answered during %s", period).isPositive();
            }
        }
        int firstThreads = minutes.get(1).client().threads();
        softly.assertThat(minutes.get(minutes.size() - 1).client().threads())
            .as("client threads at the end (%d after the first period)", firstThreads)
            .isLessThanOrEqualTo(firstThreads + THREAD_GROWTH);
        softly.assertAll();
    }
}
