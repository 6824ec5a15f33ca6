package dev.etcddiscovery.spring.registration;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link EtcdServiceRegistry} and its operator controls (readiness following, the {@code etcdregistration}
 * endpoint), the same on both lines: imported by each line's {@code EtcdRegistrationAutoConfiguration}, whose
 * conditions it runs under.
 */
@Configuration(proxyBeanMethods = false)
public class EtcdServiceRegistryConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdServiceRegistry etcdServiceRegistry(Client client, Watch etcdDiscoveryWatch,
            EtcdDiscoveryProperties properties) {
        return EtcdServiceRegistry.builder(client)
            .keyWatchSource(etcdDiscoveryWatch)
            .namespace(properties.getNamespace())
            .requestTimeout(properties.getRequestTimeout())
            .defaultTtl(properties.getRegistration().getTtl())
            .maxRetryBackoff(properties.getMaxRetryBackoff())
            .build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".registration.follow-readiness",
            matchIfMissing = true)
    ReadinessRegistrationListener etcdReadinessRegistrationListener(EtcdServiceRegistry registry) {
        return new ReadinessRegistrationListener(registry);
    }

    /** The {@code etcdregistration} actuator endpoint, when actuator is there and the endpoint is available. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
    @ConditionalOnAvailableEndpoint(EtcdRegistrationEndpoint.class)
    static class RegistrationEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EtcdRegistrationEndpoint etcdRegistrationEndpoint(EtcdServiceRegistry registry) {
            return new EtcdRegistrationEndpoint(registry);
        }
    }
}
