package dev.etcddiscovery;

import io.etcd.jetcd.Client;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The application's single jetcd {@link Client}, shared by the name resolver and the registration.
 */
@AutoConfiguration
@ConditionalOnClass(Client.class)
@ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
public class EtcdDiscoveryAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Client etcdClient(EtcdDiscoveryProperties properties) {
        return EtcdClientFactory.create(properties);
    }
}
