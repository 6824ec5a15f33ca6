package dev.etcddiscovery.boot3;

import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;
import dev.etcddiscovery.spring.resolver.EtcdNameResolverConfiguration;
import io.etcd.jetcd.Client;
import io.grpc.NameResolverProvider;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.nameresolver.NameResolverRegistration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Contributes the {@code etcd:///service} name resolver to gRPC channels: grpc-spring registers every
 * {@link NameResolverProvider} bean for the channels it builds.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class, before = EtcdSpringCloudAutoConfiguration.class)
@ConditionalOnClass({ Client.class, NameResolverProvider.class })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".resolver.enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
@Import(EtcdNameResolverConfiguration.class)
public class EtcdResolverAutoConfiguration {

    /**
     * Orders grpc-spring's channel factory after the directory, so that on shutdown the channels close first, then
     * the directory, then the jetcd client; and after grpc-spring's {@link NameResolverRegistration}, which is
     * {@code @Lazy} and otherwise only created by {@code @GrpcClient} injection: without it, channels made with
     * {@code GrpcChannelFactory.createChannel(name)} alone would find no provider for {@code etcd:///}. Gives
     * {@code etcd:///} channels the configured load-balancing policy and health checking.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(GrpcChannelFactory.class)
    static class GrpcSpringChannels {

        @Bean
        static AbstractDependsOnBeanFactoryPostProcessor grpcChannelFactoryDependsOnEtcdServiceDirectory() {
            return new AbstractDependsOnBeanFactoryPostProcessor(GrpcChannelFactory.class, ServiceDirectory.class,
                    NameResolverRegistration.class) {
            };
        }

        /** Only grpc-spring's channel factory calls it, which comes with grpc-spring's channel properties. */
        @Bean
        @ConditionalOnMissingBean
        EtcdLoadBalancingConfigurer etcdLoadBalancingConfigurer(ObjectProvider<GrpcChannelsProperties> channels,
                EtcdDiscoveryProperties properties) {
            return new EtcdLoadBalancingConfigurer(channels::getObject,
                    EtcdChannelServiceConfig.of(properties.getResolver()));
        }
    }
}
