package dev.etcddiscovery.spring.resolver;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.AllowedNetworks;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link ServiceDirectory} and the {@code etcd:///} {@link EtcdNameResolverProvider} on it, the same on both
 * lines: imported by each line's {@code EtcdResolverAutoConfiguration}, which hands the provider to its gRPC client.
 */
@Configuration(proxyBeanMethods = false)
public class EtcdNameResolverConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ServiceDirectory etcdServiceDirectory(Client etcdClient, Watch etcdDiscoveryWatch,
            EtcdDiscoveryProperties properties) {
        EtcdDiscoveryProperties.Resolver resolver = properties.getResolver();
        return ServiceDirectory.builder(etcdClient)
            .watchSource(etcdDiscoveryWatch)
            .defaultPort(resolver.getDefaultPort())
            .allowedNetworks(AllowedNetworks.of(resolver.getAllowedNetworks()))
            .requestTimeout(properties.getRequestTimeout())
            .watchCheckInterval(resolver.getWatchCheckInterval())
            .newClusterGracePeriod(resolver.getNewClusterGracePeriod())
            .maxRetryBackoff(properties.getMaxRetryBackoff())
            .build();
    }

    @Bean
    @ConditionalOnMissingBean
    public EtcdNameResolverProvider etcdNameResolverProvider(ServiceDirectory etcdServiceDirectory,
            EtcdDiscoveryProperties properties) {
        return new EtcdNameResolverProvider(etcdServiceDirectory, properties.getNamespace());
    }
}
