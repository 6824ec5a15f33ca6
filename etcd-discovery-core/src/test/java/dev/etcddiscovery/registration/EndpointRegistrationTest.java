package dev.etcddiscovery.registration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointRegistrationTest {

    @Test
    void bracketsIpv6HostsInAddresses() {
        assertThat(EndpointRegistration.address("::1", 9090)).isEqualTo("[::1]:9090");
        assertThat(EndpointRegistration.address("10.0.0.5", 9090)).isEqualTo("10.0.0.5:9090");
    }
}
