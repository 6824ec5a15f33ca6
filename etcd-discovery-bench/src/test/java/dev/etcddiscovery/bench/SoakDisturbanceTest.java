package dev.etcddiscovery.bench;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SoakDisturbanceTest {

    @Test
    void tenMinutesHaveEveryDisturbanceAndOneEtcdRestartAndEndSteady() {
        List<SoakDisturbance> minutes = IntStream.rangeClosed(1, 10).mapToObj(SoakDisturbance::at).toList();

        assertThat(minutes).containsExactly(SoakDisturbance.STEADY, SoakDisturbance.DEAD_KEYS, SoakDisturbance.KILL,
                SoakDisturbance.STORM, SoakDisturbance.ETCD_RESTART, SoakDisturbance.STOP, SoakDisturbance.STORM,
                SoakDisturbance.KILL, SoakDisturbance.STOP, SoakDisturbance.STEADY);
        assertThat(IntStream.rangeClosed(1, 100).mapToObj(SoakDisturbance::at))
            .filteredOn((disturbance) -> disturbance == SoakDisturbance.ETCD_RESTART)
            .hasSize(1);
    }
}
