package dev.etcddiscovery.registration;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseIdsTest {

    @Test
    void sixteenHexDigitsWithTheLeadingZerosEtcdctlPrints() {
        // etcdctl lease grant: "lease 0322a21d7155f706 granted with TTL(60s)"; etcdctl get -w json: 225921178661156614
        assertThat(LeaseIds.toHex(225921178661156614L)).isEqualTo("0322a21d7155f706");
        assertThat(LeaseIds.toHex(0x694d77aa9e38260fL)).isEqualTo("694d77aa9e38260f");
    }

    @Test
    void snapshotsShowTheLeaseInHex() {
        RegistrationSnapshot held = new RegistrationSnapshot("greeter/10.0.0.5:9090", 225921178661156614L,
                Duration.ofSeconds(10), RegistrationState.REGISTERED, RegistrationStatus.UP, true, true, null, null, 1,
                2);
        assertThat(held.leaseIdHex()).isEqualTo("0322a21d7155f706");
        RegistrationSnapshot none = new RegistrationSnapshot("greeter/10.0.0.5:9090", 0, Duration.ofSeconds(10),
                RegistrationState.REGISTERING, RegistrationStatus.UP, true, false, null, null, 0, 0);
        assertThat(none.leaseIdHex()).isNull();
    }
}
