package dev.etcddiscovery.boot3;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.metrics.EtcdMetricsConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The shared {@link EtcdMetricsConfiguration}, after Boot 3.5's meter registry auto-configurations (actuator's
 * package) and after the beans whose meters it binds.
 */
@AutoConfiguration(
        after = { EtcdDiscoveryAutoConfiguration.class, EtcdResolverAutoConfiguration.class,
                EtcdRegistrationAutoConfiguration.class },
        afterName = { "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration" })
@Import(EtcdMetricsConfiguration.class)
public class EtcdMetricsAutoConfiguration {
}
