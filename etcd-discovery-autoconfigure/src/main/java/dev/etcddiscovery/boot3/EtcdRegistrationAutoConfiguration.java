package dev.etcddiscovery.boot3;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.spring.registration.EtcdServiceRegistryConfiguration;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import dev.etcddiscovery.spring.registration.GrpcServerRegistrationConfiguration;
import io.etcd.jetcd.Client;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import net.devh.boot.grpc.server.serverfactory.GrpcServerLifecycle;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@link dev.etcddiscovery.registration.EtcdServiceRegistry EtcdServiceRegistry} for any application with an etcd
 * client, and the automatic registration of a grpc-spring server, unless
 * {@code etcd.discovery.registration.enabled=false}. Nothing at all with {@code etcd.discovery.enabled=false},
 * also when the application defines its own jetcd client. The beans are the shared
 * {@link EtcdServiceRegistryConfiguration} and {@link GrpcServerRegistrationConfiguration}; what is grpc-spring's
 * here is the ordering, the condition on its server lifecycle and its server events.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class, before = EtcdSpringCloudAutoConfiguration.class,
        afterName = { "net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
                "net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration" })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnClass(Client.class)
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
@Import(EtcdServiceRegistryConfiguration.class)
public class EtcdRegistrationAutoConfiguration {

    /** Registration of the grpc-spring server, only when the application runs one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ GrpcServerLifecycle.class, GrpcServerAutoConfiguration.class })
    @ConditionalOnBean(GrpcServerLifecycle.class)
    @ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX + ".registration", name = "enabled",
            matchIfMissing = true)
    @Import(GrpcServerRegistrationConfiguration.class)
    static class GrpcSpringServerRegistration {

        @Bean
        @ConditionalOnMissingBean
        GrpcSpringServerEvents etcdGrpcServerEvents(GrpcServerAutoRegistration etcdGrpcServerAutoRegistration) {
            return new GrpcSpringServerEvents(etcdGrpcServerAutoRegistration);
        }
    }
}
