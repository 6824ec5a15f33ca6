package dev.etcddiscovery.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.internal.BackoffPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTest {

    @Test
    void delaysGrowFromAboutOneSecondAndNeverPassTheCap() {
        Duration cap = Duration.ofSeconds(3);
        BackoffPolicy policy = RetryBackoff.capped(cap).get();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            delays.add(policy.nextBackoffNanos());
        }
        assertThat(delays.get(0)).isBetween(Duration.ofMillis(800).toNanos(), Duration.ofMillis(1200).toNanos());
        assertThat(delays).allSatisfy((delay) -> assertThat(delay).isLessThanOrEqualTo(cap.toNanos()));
        // gRPC's own policy would be at its 2-minute cap by now; ours stays within the last 20% below the cap
        assertThat(delays.subList(20, 30))
            .allSatisfy((delay) -> assertThat(delay).isGreaterThanOrEqualTo((long) (cap.toNanos() * 0.8)));
    }

    @Test
    void eachPolicyStartsOverFromTheBeginning() {
        BackoffPolicy.Provider provider = RetryBackoff.capped(Duration.ofSeconds(3));
        BackoffPolicy used = provider.get();
        for (int i = 0; i < 10; i++) {
            used.nextBackoffNanos();
        }
        assertThat(provider.get().nextBackoffNanos()).isLessThanOrEqualTo(Duration.ofMillis(1200).toNanos());
    }
}
