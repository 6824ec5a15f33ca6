package dev.etcddiscovery.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoResultsTest {

    private static final String PROP = """
            etcd 127.0.0.1:33123 pid=15805 data-dir=/tmp/goanchor-run.2434372382/prop.data
            RESULT prop.rawWatch                      n=200   p50=0.709ms p99=1.571ms max=1.787ms mean=0.736ms
            RESULT prop.paired.resolver-minus-raw     n=200   p50=0.055ms p99=0.578ms max=0.648ms mean=0.039ms
            """;

    private static final String SCALE = """
            build #2: first UpdateState n=10000 after 53.151ms
            RESULT scale10000.firstUpdate(Build->all) n=5     p50=77.742ms p99=92.691ms max=92.691ms mean=74.826ms
            RESULT scale10000.VmRSS                   before-Build=11268 kB after-first-update=22668 kB \
            after-200-changes=29316 kB VmHWM=31992 kB GoHeapAlloc=7.0MiB
            """;

    @Test
    void readsTheResultLinesOfBothStepsInNanoseconds() {
        GoResults results = GoResults.parse(PROP).and(GoResults.parse(SCALE));

        assertThat(results.latency("prop.rawWatch")).contains(new GoResults.Latency(200, 709_000, 1_571_000,
                1_787_000));
        assertThat(results.latency("prop.paired.resolver-minus-raw").map(GoResults.Latency::p50)).contains(55_000L);
        assertThat(results.latency("scale10000.firstUpdate(Build->all)").map(GoResults.Latency::p50))
            .contains(77_742_000L);
        assertThat(results.goHeapMib(10_000)).contains(7.0);
        assertThat(results.goHeapMib(100_000)).isEmpty();
        assertThat(results.latency("build")).isEmpty();
    }
}
