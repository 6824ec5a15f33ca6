package dev.etcddiscovery.resolver;

import dev.etcddiscovery.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.EtcdDiscoveryProperties;
import io.etcd.jetcd.Client;
import io.grpc.NameResolverProvider;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.nameresolver.NameResolverRegistration;

import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the {@code etcd:///service} name resolver to gRPC channels: grpc-spring registers every
 * {@link NameResolverProvider} bean for the channels it builds.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class)
@ConditionalOnClass({ Client.class, NameResolverProvider.class })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".resolver.enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
public class EtcdResolverAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ServiceDirectory etcdServiceDirectory(Client etcdClient, EtcdDiscoveryProperties properties) {
        EtcdDiscoveryProperties.Resolver resolver = properties.getResolver();
        return new ServiceDirectory(etcdClient, new EndpointParser(resolver.getDefaultPort()),
                properties.getRequestTimeout(), resolver.getWatchCheckInterval(), resolver.getNewClusterGracePeriod(),
                properties.getMaxRetryBackoff());
    }

    @Bean
    @ConditionalOnMissingBean
    public EtcdNameResolverProvider etcdNameResolverProvider(ServiceDirectory etcdServiceDirectory,
            EtcdDiscoveryProperties properties) {
        return new EtcdNameResolverProvider(etcdServiceDirectory, properties.getNamespace(),
                properties.getResolver().getLoadBalancingPolicy());
    }

    /**
     * Orders grpc-spring's channel factory after the watches, so that on shutdown the channels close first, then
     * the watches, then the jetcd client; and after grpc-spring's {@link NameResolverRegistration}, which is
     * {@code @Lazy} and otherwise only created by {@code @GrpcClient} injection: without it, channels made with
     * {@code GrpcChannelFactory.createChannel(name)} alone would find no provider for {@code etcd:///}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(GrpcChannelFactory.class)
    static class ChannelsCloseBeforeWatches {

        @Bean
        static AbstractDependsOnBeanFactoryPostProcessor grpcChannelFactoryDependsOnEtcdServiceDirectory() {
            return new AbstractDependsOnBeanFactoryPostProcessor(GrpcChannelFactory.class, ServiceDirectory.class,
                    NameResolverRegistration.class) {
            };
        }
    }
}
