package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.spring.registration.EtcdServiceRegistryConfiguration;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import dev.etcddiscovery.spring.registration.GrpcServerRegistrationConfiguration;
import io.etcd.jetcd.Client;

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
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * The {@link dev.etcddiscovery.registration.EtcdServiceRegistry EtcdServiceRegistry} for any application with an etcd
 * client, its operator controls (readiness following, the {@code etcdregistration} endpoint), and the automatic
 * registration of a Spring gRPC server, unless {@code etcd.discovery.registration.enabled=false}. Nothing at all with
 * {@code etcd.discovery.enabled=false}, also when the application defines its own jetcd client. The beans are the
 * shared {@link EtcdServiceRegistryConfiguration} and {@link GrpcServerRegistrationConfiguration}; what is Spring
 * gRPC's here is the ordering, the condition on its server lifecycle and its server events.
 */
// Spring gRPC 1.0 (Boot 4.0) declares its server lifecycle in GrpcServerFactoryAutoConfiguration, 1.1 (Boot 4.1) in
// GrpcServerAutoConfiguration: after both, so that the condition on GrpcServerLifecycle sees it on either.
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class, before = EtcdSpringCloudAutoConfiguration.class,
        afterName = { "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
                "org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration" })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnClass(Client.class)
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
@Import(EtcdServiceRegistryConfiguration.class)
public class EtcdRegistrationAutoConfiguration {

    /**
     * Registration of the Spring gRPC server, only when the application runs one of its own (gRPC served by the
     * servlet container has no server lifecycle, and is not registered).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(GrpcServerLifecycle.class)
    @ConditionalOnBean(GrpcServerLifecycle.class)
    @ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX + ".registration", name = "enabled",
            matchIfMissing = true)
    @Import(GrpcServerRegistrationConfiguration.class)
    static class SpringGrpcServerRegistration {

        @Bean
        @ConditionalOnMissingBean
        SpringGrpcServerEvents etcdGrpcServerEvents(GrpcServerAutoRegistration etcdGrpcServerAutoRegistration) {
            return new SpringGrpcServerEvents(etcdGrpcServerAutoRegistration);
        }
    }
}
