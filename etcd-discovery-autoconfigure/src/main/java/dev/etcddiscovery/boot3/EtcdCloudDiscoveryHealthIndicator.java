package dev.etcddiscovery.boot3;

import org.springframework.boot.actuate.health.Health;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;

/**
 * The etcd entry of Spring Cloud's {@code discoveryComposite} health: UP with the number of services when etcd
 * lists them, DOWN with the reason when it does not. Spring Cloud's own {@code discoveryClient} indicator stays
 * UNKNOWN until an instance registers through Spring Cloud, which this starter does not do.
 */
public class EtcdCloudDiscoveryHealthIndicator implements DiscoveryHealthIndicator {

    private final DiscoveryClient client;

    public EtcdCloudDiscoveryHealthIndicator(DiscoveryClient client) {
        this.client = client;
    }

    @Override
    public String getName() {
        return "etcd";
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("services", this.client.getServices().size()).build();
        }
        catch (RuntimeException ex) {
            return Health.down().withDetail("error", ex.getMessage()).build();
        }
    }
}
