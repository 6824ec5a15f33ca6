package dev.etcddiscovery.bench;

/** Latency rows with the garbage collections counted apart: all samples, and the p99 without those a GC hit. */
final class GcColumns {

    static final String[] HEADERS = { "warm: put → ...", "samples", "p50 ms", "p99 ms", "max ms",
            "samples with a GC pause", "p99 without them ms" };

    private GcColumns() {
    }

    static String[] row(String name, Interleaved run, String series) {
        Samples all = run.warm(series);
        Samples withoutGc = run.warmWithoutGc(series);
        String[] latency = Report.latencyRow(name, all);
        return new String[] { latency[0], latency[1], latency[2], latency[3], latency[4],
                String.valueOf(all.size() - withoutGc.size()),
                (withoutGc.size() == 0) ? "—" : Samples.ms(withoutGc.percentile(99)) };
    }
}
