package dev.etcddiscovery.boot4;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;
import dev.etcddiscovery.spring.resolver.EtcdNameResolverConfiguration;
import io.etcd.jetcd.Client;
import io.grpc.NameResolverProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientDefaultServiceConfigCustomizer;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Contributes the {@code etcd:///service} name resolver to gRPC channels: Spring gRPC builds its channels from gRPC's
 * default name resolver registry, so the provider is registered there, before the first channel is built. Gives
 * Spring Boot's {@code etcd:///} channels the configured load-balancing policy and health checking.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class, before = EtcdSpringCloudAutoConfiguration.class)
@ConditionalOnClass({ Client.class, NameResolverProvider.class })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".resolver.enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
@Import(EtcdNameResolverConfiguration.class)
public class EtcdResolverAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public EtcdNameResolverRegistration etcdNameResolverRegistration(EtcdNameResolverProvider etcdNameResolverProvider) {
        return new EtcdNameResolverRegistration(etcdNameResolverProvider);
    }

    /**
     * Makes Spring gRPC's channel factories depend on the registration: the provider is in the registry before a
     * stub bean ({@code @ImportGrpcClients}) or {@code createChannel} builds a channel, and on shutdown the channels
     * close first, then the provider leaves the registry, then the watches and the jetcd client close.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(GrpcChannelFactory.class)
    static class ChannelsAfterTheProvider {

        @Bean
        static AbstractDependsOnBeanFactoryPostProcessor grpcChannelFactoryDependsOnEtcdNameResolverRegistration() {
            return new AbstractDependsOnBeanFactoryPostProcessor(GrpcChannelFactory.class,
                    EtcdNameResolverRegistration.class) {
            };
        }
    }

    /**
     * {@code etcd.discovery.resolver.load-balancing-policy} and {@code .health-check.service-name} on the channels
     * of Spring Boot's gRPC client, which applies customizer beans to every channel it builds.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ GrpcChannelBuilderCustomizer.class, GrpcClientDefaultServiceConfigCustomizer.class })
    static class SpringBootGrpcChannels {

        @Bean
        @ConditionalOnMissingBean
        EtcdChannelServiceConfig etcdChannelServiceConfig(EtcdDiscoveryProperties properties) {
            return EtcdChannelServiceConfig.of(properties.getResolver());
        }

        @Bean
        @ConditionalOnMissingBean
        EtcdLoadBalancingPolicyCustomizer<?> etcdLoadBalancingPolicyCustomizer(
                ObjectProvider<GrpcClientProperties> channels, Environment environment,
                EtcdChannelServiceConfig etcdChannelServiceConfig) {
            return new EtcdLoadBalancingPolicyCustomizer<>(targets(channels, environment), etcdChannelServiceConfig);
        }

        @Bean
        @ConditionalOnMissingBean
        EtcdHealthCheckServiceConfigCustomizer etcdHealthCheckServiceConfigCustomizer(
                ObjectProvider<GrpcClientProperties> channels, Environment environment,
                EtcdChannelServiceConfig etcdChannelServiceConfig) {
            return new EtcdHealthCheckServiceConfigCustomizer(targets(channels, environment), etcdChannelServiceConfig);
        }

        /** Without Boot's channel properties (its gRPC client turned off), only targets themselves are read. */
        private static EtcdChannelTargets targets(ObjectProvider<GrpcClientProperties> channels,
                Environment environment) {
            return new EtcdChannelTargets(() -> channels.getIfAvailable(GrpcClientProperties::new), environment);
        }
    }
}
