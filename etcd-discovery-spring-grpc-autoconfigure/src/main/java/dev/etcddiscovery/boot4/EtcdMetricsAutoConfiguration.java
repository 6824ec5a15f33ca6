package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.metrics.EtcdMetricsConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The shared {@link EtcdMetricsConfiguration}, after Boot 4.1's meter registry auto-configurations (in
 * spring-boot-micrometer-metrics) and after the beans whose meters it binds.
 */
@AutoConfiguration(
        after = { EtcdDiscoveryAutoConfiguration.class, EtcdResolverAutoConfiguration.class,
                EtcdRegistrationAutoConfiguration.class },
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@Import(EtcdMetricsConfiguration.class)
public class EtcdMetricsAutoConfiguration {
}
