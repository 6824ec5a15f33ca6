package dev.etcddiscovery.spring.resolver;

import java.util.List;
import java.util.Map;

import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What etcd.discovery.resolver.* asks of etcd:/// channels: the policy's name, or a default service config. */
class EtcdChannelServiceConfigTest {

    @Test
    void byDefaultEtcdRoutingNeedsNoServiceConfig() {
        EtcdChannelServiceConfig config = EtcdChannelServiceConfig.of(new EtcdDiscoveryProperties().getResolver());
        assertThat(config.policy()).isEqualTo("etcd_routing");
        assertThat(config.defaultServiceConfig()).isNull();
    }

    @Test
    void theZoneThresholdAndRouteHeaderBecomeEtcdRoutingsConfig() {
        EtcdDiscoveryProperties.Resolver resolver = new EtcdDiscoveryProperties().getResolver();
        resolver.setZone(" eu-1a ");
        resolver.setZoneThreshold(2);
        resolver.setRouteHeader("x-lane");
        assertThat(EtcdChannelServiceConfig.of(resolver).defaultServiceConfig()).isEqualTo(Map.of("loadBalancingConfig",
                List.of(Map.of("etcd_routing", Map.of("zone", "eu-1a", "zoneThreshold", 2.0, "routeHeader", "x-lane")))));
    }

    @Test
    void healthCheckingJoinsEtcdRoutingsConfig() {
        EtcdDiscoveryProperties.Resolver resolver = new EtcdDiscoveryProperties().getResolver();
        resolver.setZone("a");
        resolver.getHealthCheck().setServiceName("greeter");
        assertThat(EtcdChannelServiceConfig.of(resolver).defaultServiceConfig()).isEqualTo(Map.of(
                "loadBalancingConfig", List.of(Map.of("etcd_routing", Map.of("zone", "a"))),
                "healthCheckConfig", Map.of("serviceName", "greeter")));
    }

    @Test
    void anotherPolicyIgnoresTheRoutingSettings() {
        EtcdDiscoveryProperties.Resolver resolver = new EtcdDiscoveryProperties().getResolver();
        resolver.setLoadBalancingPolicy("round_robin");
        resolver.setZone("a");
        assertThat(EtcdChannelServiceConfig.of(resolver).defaultServiceConfig()).isNull();
    }

    @Test
    void anUnknownPolicyIsNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdChannelServiceConfig.of("etcd_routin", null))
            .withMessageContaining("'etcd_routin' is not a load-balancing policy known to gRPC");
    }
}
