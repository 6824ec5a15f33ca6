package dev.etcddiscovery.spring.cloud;

import java.util.Map;
import java.util.Objects;

import dev.etcddiscovery.spring.health.HealthCheck;

import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The etcd entry of Spring Cloud's {@code discoveryComposite} health: UP with the number of services when etcd
 * lists them, DOWN with the reason when it does not. Spring Cloud's own {@code discoveryClient} indicator stays
 * UNKNOWN until an instance registers through Spring Cloud, which this starter does not do. Each line's
 * {@code EtcdCloudDiscoveryHealthIndicator} shows it on its Boot's health API.
 */
public final class EtcdCloudHealthCheck {

    private EtcdCloudHealthCheck() {
    }

    public static HealthCheck of(DiscoveryClient client) {
        try {
            return new HealthCheck(true, Map.of("services", client.getServices().size()));
        }
        catch (RuntimeException ex) {
            return new HealthCheck(false, Map.of("error", Objects.toString(ex.getMessage(), ex.getClass().getName())));
        }
    }
}
