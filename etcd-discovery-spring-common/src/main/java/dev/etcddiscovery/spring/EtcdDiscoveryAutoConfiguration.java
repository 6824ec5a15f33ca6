package dev.etcddiscovery.spring;

import dev.etcddiscovery.internal.JetcdInternals;
import dev.etcddiscovery.jetcd.EtcdReconnectPacer;
import dev.etcddiscovery.jetcd.MultiplexedWatch;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The application's single jetcd {@link Client}, shared by the name resolver and the registration, and the pacing of
 * its reconnects while etcd is unreachable; with {@code etcd.discovery.fail-fast=true} a startup check of it; with
 * actuator, masking of its secrets.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(Client.class)
@ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
public class EtcdDiscoveryAutoConfiguration {

    /** Where etcd is, from {@code etcd.discovery.*}, unless a bean of the application (or a test) says it. */
    @Bean
    @ConditionalOnMissingBean(EtcdConnectionDetails.class)
    PropertiesEtcdConnectionDetails etcdConnectionDetails(EtcdDiscoveryProperties properties,
            ObjectProvider<SslBundles> sslBundles) {
        return new PropertiesEtcdConnectionDetails(properties, sslBundles.getIfAvailable());
    }

    /**
     * Connects while the context starts (jetcd connects at its first call otherwise), so that the registration's
     * calls at ApplicationReadyEvent and a channel's first list do not wait for the TCP and HTTP/2 set-up.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Client etcdClient(EtcdConnectionDetails connectionDetails, EtcdDiscoveryProperties properties) {
        Client client = EtcdClientFactory.create(connectionDetails, properties.getConnectTimeout());
        JetcdInternals.connect(client);
        return client;
    }

    /**
     * Also for a user-defined client, as long as it is jetcd's own implementation. Nothing injects it, so it is not
     * lazy even with spring.main.lazy-initialization.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @Lazy(false)
    public EtcdReconnectPacer etcdReconnectPacer(Client etcdClient, EtcdDiscoveryProperties properties) {
        return EtcdReconnectPacer.forClient(etcdClient, properties.getMaxRetryBackoff());
    }

    /**
     * Every etcd watch of the application (the resolver's prefixes, the registration's own keys) on one gRPC stream,
     * really cancelled on etcd when closed; jetcd 0.8.5's own watch opens a stream per watcher and leaves it on etcd
     * after close (etcd-io/jetcd#1510).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Watch etcdDiscoveryWatch(Client etcdClient) {
        return MultiplexedWatch.forClient(etcdClient);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX, name = "fail-fast", havingValue = "true")
    EtcdStartupCheck etcdStartupCheck(Client etcdClient, EtcdConnectionDetails connectionDetails,
            EtcdDiscoveryProperties properties) {
        return new EtcdStartupCheck(etcdClient, connectionDetails.getEndpoints(), properties.getRequestTimeout());
    }

    /**
     * Masks the password, the private key and the key material of the etcd SSL bundle in /actuator/env and
     * /actuator/configprops, also when they are configured to show values, in whatever form they were set
     * (environment variables, system properties, command-line arguments, files).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class SecretsSanitizingConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "etcdDiscoverySanitizingFunction")
        SanitizingFunction etcdDiscoverySanitizingFunction(EtcdDiscoveryProperties properties) {
            EtcdSecretKeys secrets = new EtcdSecretKeys(properties.getSsl().getBundle());
            return SanitizingFunction.sanitizeValue()
                .ifMatches((data) -> secrets.isSecret(data.getPropertySource(), data.getKey()));
        }
    }
}
