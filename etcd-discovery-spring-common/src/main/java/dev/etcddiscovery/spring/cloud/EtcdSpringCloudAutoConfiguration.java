package dev.etcddiscovery.spring.cloud;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import dev.etcddiscovery.spring.registration.GrpcServerEndpoint;
import io.etcd.jetcd.Client;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Cloud's view of etcd, when spring-cloud-commons is on the class path: a {@link DiscoveryClient} and a
 * reactive one over the {@code etcd:///} resolver's shared watches, {@code HeartbeatEvent}s when a followed service
 * changes and a {@code ServiceRegistry} for {@code /actuator/serviceregistry}; each line adds the etcd entry of the
 * {@code discoveryComposite} health (Boot's health API differs between the lines) and orders its resolver and
 * registration auto-configurations before this one, whose conditions need their beans. Follows Spring Cloud's switches
 * ({@code spring.cloud.discovery.enabled}, {@code .blocking.enabled}, {@code .reactive.enabled}) and ours,
 * {@code etcd.discovery.spring-cloud.enabled}.
 */
@AutoConfiguration(before = { SimpleDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class,
        SimpleReactiveDiscoveryClientAutoConfiguration.class, ReactiveCommonsClientAutoConfiguration.class,
        ServiceRegistryAutoConfiguration.class })
@ConditionalOnClass({ DiscoveryClient.class, Client.class })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".spring-cloud.enabled", matchIfMissing = true)
@ConditionalOnDiscoveryEnabled
@ConditionalOnBean({ ServiceDirectory.class, Client.class })
public class EtcdSpringCloudAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdHeartbeatPublisher etcdHeartbeatPublisher(ApplicationEventPublisher publisher) {
        return new EtcdHeartbeatPublisher(publisher);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdServiceInstances etcdServiceInstances(ServiceDirectory etcdServiceDirectory,
            EtcdHeartbeatPublisher etcdHeartbeatPublisher, EtcdDiscoveryProperties properties) {
        return new EtcdServiceInstances(etcdServiceDirectory, properties.getNamespace(),
                properties.getRequestTimeout(), etcdHeartbeatPublisher::changed);
    }

    @Bean
    @ConditionalOnMissingBean
    public EtcdServiceNames etcdServiceNames(Client etcdClient, EtcdDiscoveryProperties properties) {
        return new EtcdServiceNames(etcdClient.getKVClient(), properties.getNamespace(),
                properties.getRequestTimeout());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlockingDiscoveryEnabled
    static class Blocking {

        @Bean
        @ConditionalOnMissingBean
        EtcdDiscoveryClient etcdDiscoveryClient(EtcdServiceInstances etcdServiceInstances,
                EtcdServiceNames etcdServiceNames) {
            return new EtcdDiscoveryClient(etcdServiceInstances, etcdServiceNames);
        }
    }

    /** {@code /actuator/serviceregistry} reads and sets the status of this application's registrations. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(EtcdServiceRegistry.class)
    static class ServiceRegistryConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EtcdCloudServiceRegistry etcdCloudServiceRegistry(EtcdServiceRegistry etcdServiceRegistry) {
            return new EtcdCloudServiceRegistry(etcdServiceRegistry);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean({ GrpcServerAutoRegistration.class, GrpcServerEndpoint.class })
        EtcdRegistration etcdRegistration(GrpcServerAutoRegistration etcdGrpcServerAutoRegistration,
                GrpcServerEndpoint etcdGrpcServerEndpoint) {
            return new EtcdRegistration(etcdGrpcServerAutoRegistration, etcdGrpcServerEndpoint);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flux.class)
    @ConditionalOnReactiveDiscoveryEnabled
    static class Reactive {

        @Bean
        @ConditionalOnMissingBean
        EtcdReactiveDiscoveryClient etcdReactiveDiscoveryClient(EtcdServiceInstances etcdServiceInstances,
                EtcdServiceNames etcdServiceNames) {
            return new EtcdReactiveDiscoveryClient(etcdServiceInstances, etcdServiceNames);
        }
    }
}
