package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.cloud.EtcdCloudHealthCheck;

import org.springframework.boot.health.contributor.Health;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;

/** The etcd entry of Spring Cloud's {@code discoveryComposite} health ({@link EtcdCloudHealthCheck}) on Boot 4.1. */
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
