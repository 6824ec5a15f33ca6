package dev.etcddiscovery.health;

import java.util.List;

import dev.etcddiscovery.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.EtcdDiscoveryProperties;
import dev.etcddiscovery.registration.EtcdRegistrationAutoConfiguration;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.resolver.EtcdResolverAutoConfiguration;
import dev.etcddiscovery.resolver.ServiceDirectory;
import io.etcd.jetcd.Client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code etcdDiscovery} health indicator, when actuator is present and
 * {@code management.health.etcd-discovery.enabled} is not false. It is not in the liveness or readiness group.
 */
@AutoConfiguration(after = { EtcdDiscoveryAutoConfiguration.class, EtcdResolverAutoConfiguration.class,
        EtcdRegistrationAutoConfiguration.class })
@ConditionalOnClass({ Client.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
@ConditionalOnEnabledHealthIndicator("etcdDiscovery")
public class EtcdHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = EtcdDiscoveryHealthIndicator.class, name = "etcdDiscoveryHealthIndicator")
    public EtcdDiscoveryHealthIndicator etcdDiscoveryHealthIndicator(Client etcdClient,
            EtcdDiscoveryProperties properties, ObjectProvider<EtcdServiceRegistry> registry,
            ObjectProvider<ServiceDirectory> watches) {
        EtcdServiceRegistry registrations = registry.getIfUnique();
        ServiceDirectory targets = watches.getIfUnique();
        return new EtcdDiscoveryHealthIndicator(etcdClient, properties.getEndpoints(), properties.getRequestTimeout(),
                (registrations != null) ? registrations::registrations : List::of,
                (targets != null) ? targets::snapshots : List::of);
    }
}
