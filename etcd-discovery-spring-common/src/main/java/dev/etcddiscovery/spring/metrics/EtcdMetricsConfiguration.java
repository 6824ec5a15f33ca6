package dev.etcddiscovery.spring.metrics;

import java.util.List;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters of the resolver and the registration ({@code etcd.discovery.*}), when Micrometer is present and
 * the application has a {@link MeterRegistry}; Boot binds the {@link EtcdDiscoveryMetrics} to it. Imported by each
 * line's {@code EtcdMetricsAutoConfiguration}, which orders it after that Boot generation's metrics
 * auto-configurations.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Client.class, MeterRegistry.class })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean({ Client.class, MeterRegistry.class })
public class EtcdMetricsConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdDiscoveryMetrics etcdDiscoveryMetrics(EtcdDiscoveryProperties properties,
            ObjectProvider<ServiceDirectory> watches, ObjectProvider<EtcdServiceRegistry> registry) {
        ServiceDirectory targets = watches.getIfUnique();
        EtcdServiceRegistry registrations = registry.getIfUnique();
        return new EtcdDiscoveryMetrics((targets != null) ? targets::snapshots : List::of,
                (registrations != null) ? registrations::registrations : List::of,
                properties.getMetrics().getRefreshInterval());
    }
}
