package dev.etcddiscovery.boot3;

import dev.etcddiscovery.spring.cloud.EtcdCloudHealthCheck;

import org.springframework.boot.actuate.health.Health;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;

/** The etcd entry of Spring Cloud's {@code discoveryComposite} health ({@link EtcdCloudHealthCheck}) on Boot 3.5. */
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
        return EtcdDiscoveryHealthIndicator.toHealth(EtcdCloudHealthCheck.of(this.client));
    }
}
