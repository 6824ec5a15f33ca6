package dev.etcddiscovery.bench;

import java.util.Locale;

/**
 * What a user would get without a watch: re-listing the prefix every N seconds. A change lands at a uniformly random
 * moment of the period, so it is seen after U(0, N) plus one list round trip: p50 N/2, p99 0.99 N. The list round
 * trip is measured in the same run; the rest is arithmetic, not a measurement.
 */
final class Polling {

    private static final long[] PERIODS_MS = { 1_000, 5_000 };

    private Polling() {
    }

    static void compare(Report report, String what, Samples listRoundTrip, Samples ours) {
        Report.Table table = report.table("how " + what, "p50 ms", "p99 ms", "p50 ratio (polling / ours)",
                "p99 ratio");
        table.row("etcd:/// resolver (measured above)", Samples.ms(ours.percentile(50)), Samples.ms(ours.percentile(99)),
                "1", "1");
        for (long period : PERIODS_MS) {
            long periodNanos = period * 1_000_000;
            long p50 = periodNanos / 2 + listRoundTrip.percentile(50);
            long p99 = periodNanos * 99 / 100 + listRoundTrip.percentile(99);
            table.row("re-list every " + period / 1000 + " s (expected)", Samples.ms(p50), Samples.ms(p99),
                    ratio(p50, ours.percentile(50)), ratio(p99, ours.percentile(99)));
        }
        table.end();
        report.note("Polling rows: N/2 and 0.99·N plus the measured list round trip (p50 "
                + Samples.ms(listRoundTrip.percentile(50)) + " ms, p99 " + Samples.ms(listRoundTrip.percentile(99))
                + " ms over " + listRoundTrip.size() + " lists).");
    }

    private static String ratio(long polling, long ours) {
        return String.format(Locale.ROOT, "%,.0f×", (double) polling / Math.max(1, ours));
    }
}
