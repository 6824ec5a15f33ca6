package dev.etcddiscovery.registration;

import dev.etcddiscovery.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.EtcdDiscoveryProperties;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * The {@link EtcdServiceRegistry} for any application with an etcd client, its operator controls (readiness
 * following, the {@code etcdregistration} endpoint), and the automatic registration of a Spring gRPC server, unless
 * {@code etcd.discovery.registration.enabled=false}. Nothing at all with {@code etcd.discovery.enabled=false}, also
 * when the application defines its own jetcd client.
 */
// Spring gRPC 1.0 (Boot 4.0) declares its server lifecycle in GrpcServerFactoryAutoConfiguration, 1.1 (Boot 4.1) in
// GrpcServerAutoConfiguration: after both, so that the condition on GrpcServerLifecycle sees it on either.
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class,
        afterName = { "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
                "org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration" })
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnClass(Client.class)
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
public class EtcdRegistrationAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdServiceRegistry etcdServiceRegistry(Client client, Watch etcdDiscoveryWatch,
            EtcdDiscoveryProperties properties) {
        return new EtcdServiceRegistry(client, etcdDiscoveryWatch, properties.getNamespace(),
                properties.getRequestTimeout(), properties.getRegistration().getTtl(), properties.getMaxRetryBackoff());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".registration.follow-readiness",
            matchIfMissing = true)
    ReadinessRegistrationListener etcdReadinessRegistrationListener(EtcdServiceRegistry registry) {
        return new ReadinessRegistrationListener(registry);
    }

    /** The {@code etcdregistration} actuator endpoint, when actuator is there and the endpoint is available. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
    @ConditionalOnAvailableEndpoint(EtcdRegistrationEndpoint.class)
    static class RegistrationEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EtcdRegistrationEndpoint etcdRegistrationEndpoint(EtcdServiceRegistry registry) {
            return new EtcdRegistrationEndpoint(registry);
        }
    }

    /**
     * Registration of the Spring gRPC server, only when the application runs one of its own (gRPC served by the
     * servlet container has no server lifecycle, and is not registered).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(GrpcServerLifecycle.class)
    @ConditionalOnBean(GrpcServerLifecycle.class)
    @ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX + ".registration", name = "enabled",
            matchIfMissing = true)
    static class GrpcServerRegistrationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HostAddressDetector etcdHostAddressDetector() {
            return new HostAddressDetector();
        }

        @Bean
        @ConditionalOnMissingBean
        GrpcServerEndpoint etcdGrpcServerEndpoint(EtcdDiscoveryProperties properties, Environment environment,
                HostAddressDetector hostAddressDetector) {
            return GrpcServerEndpoint.from(properties.getRegistration(),
                    environment.getProperty("spring.application.name"), hostAddressDetector,
                    new EndpointValueWriter());
        }

        @Bean
        @ConditionalOnMissingBean
        GrpcServerAutoRegistration etcdGrpcServerAutoRegistration(EtcdServiceRegistry registry,
                GrpcServerEndpoint endpoint, EtcdDiscoveryProperties properties, Environment environment) {
            return new GrpcServerAutoRegistration(registry, endpoint,
                    properties.getRegistration().getShutdownTimeout(),
                    DrainDelay.boundedByShutdownPhase(properties.getRegistration().getDrainDelay(), environment));
        }
    }
}
