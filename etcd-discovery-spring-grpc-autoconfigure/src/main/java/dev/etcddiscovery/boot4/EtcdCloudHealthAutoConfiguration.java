package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.cloud.EtcdDiscoveryClient;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnDiscoveryHealthIndicatorEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;

/**
 * The etcd entry of Spring Cloud's {@code discoveryComposite} health, on Boot 4.1's health API, when
 * {@link EtcdSpringCloudAutoConfiguration} offered its blocking {@link EtcdDiscoveryClient}.
 */
// before Spring Cloud's discoveryComposite, which collects the DiscoveryHealthIndicator beans there are by then
@AutoConfiguration(after = EtcdSpringCloudAutoConfiguration.class, before = CommonsClientAutoConfiguration.class)
@ConditionalOnClass({ DiscoveryClient.class, HealthIndicator.class })
@ConditionalOnBean(EtcdDiscoveryClient.class)
@ConditionalOnDiscoveryHealthIndicatorEnabled
public class EtcdCloudHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EtcdCloudDiscoveryHealthIndicator etcdCloudDiscoveryHealthIndicator(EtcdDiscoveryClient etcdDiscoveryClient) {
        return new EtcdCloudDiscoveryHealthIndicator(etcdDiscoveryClient);
    }
}
