package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.health.EtcdDiscoveryHealthReport;
import dev.etcddiscovery.spring.health.HealthCheck;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code etcdDiscovery} health on Boot 4.1's health API: the {@link EtcdDiscoveryHealthReport}'s status and details.
 */
public class EtcdDiscoveryHealthIndicator implements HealthIndicator {

    private final EtcdDiscoveryHealthReport report;

    public EtcdDiscoveryHealthIndicator(EtcdDiscoveryHealthReport report) {
        this.report = report;
    }

    @Override
    public Health health() {
        return toHealth(this.report.check());
    }

    /** A neutral {@link HealthCheck} as this Boot's {@link Health}. */
    static Health toHealth(HealthCheck check) {
        return (check.up() ? Health.up() : Health.down()).withDetails(check.details()).build();
    }
}
