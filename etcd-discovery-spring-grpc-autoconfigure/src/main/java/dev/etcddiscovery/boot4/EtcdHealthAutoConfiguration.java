package dev.etcddiscovery.boot4;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.EtcdConnectionDetails;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.spring.health.EtcdDiscoveryHealthReport;
import io.etcd.jetcd.Client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
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
            EtcdConnectionDetails connectionDetails, EtcdDiscoveryProperties properties,
            ObjectProvider<EtcdServiceRegistry> registry, ObjectProvider<ServiceDirectory> watches) {
        return new EtcdDiscoveryHealthIndicator(
                EtcdDiscoveryHealthReport.of(etcdClient, connectionDetails, properties, registry, watches));
    }
}
