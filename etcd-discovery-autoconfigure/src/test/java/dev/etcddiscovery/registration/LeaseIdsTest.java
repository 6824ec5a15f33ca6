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
        assertThat(new RegistrationSnapshot("greeter/10.0.0.5:9090", 225921178661156614L, Duration.ofSeconds(10),
                RegistrationState.REGISTERED, 1, 2))
            .hasToString("RegistrationSnapshot[key=greeter/10.0.0.5:9090, leaseId=0322a21d7155f706, ttl=PT10S, "
                    + "state=REGISTERED, leaseRegrants=1, keepAliveFailures=2]");
        assertThat(new RegistrationSnapshot("greeter/10.0.0.5:9090", 0, Duration.ofSeconds(10),
                RegistrationState.REGISTERING, 0, 0))
            .hasToString("RegistrationSnapshot[key=greeter/10.0.0.5:9090, leaseId=none, ttl=PT10S, "
                    + "state=REGISTERING, leaseRegrants=0, keepAliveFailures=0]");
    }
}
