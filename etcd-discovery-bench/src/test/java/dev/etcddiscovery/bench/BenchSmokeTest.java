package dev.etcddiscovery.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark but the soak and the outage with tiny counts against real etcd, so the suite cannot rot
 * between full runs.
 * Asserts only that each produced its section: timings are not tested on a shared machine.
 * <p>
 * Tagged {@code slow}: it starts etcd and server JVMs, so a quick lane can leave it out by tag.
 */
@Tag("slow")
class BenchSmokeTest {

    @Test
    void everyBenchmarkRunsWithTinyCounts() {
        Report report = new Report();

        BenchMain.run(BenchArgs.parse("--smoke"), report);

        assertThat(report.text()).contains("## 1. Propagation", "## 2. put → first RPC", "## 3. One service",
                "## 4. 20 distinct", "## 5. Startup overhead", "## 6. Removal",
                "## 9. Drain", "## 10. Routing", "## vs etcd's Go resolver",
                "Suite wall time");
    }
}
