package dev.etcddiscovery.registration;

import dev.etcddiscovery.EtcdDiscoveryProperties;

import dev.etcddiscovery.internal.EndpointValueWriter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The beans that register the application's gRPC server, the same on both lines: imported by each line's
 * {@link EtcdRegistrationAutoConfiguration} under its own conditions on that line's server lifecycle.
 * {@link GrpcServerAutoRegistration} is a class of each line, listening to that line's server events.
 */
@Configuration(proxyBeanMethods = false)
class GrpcServerRegistrationConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HostAddressDetector etcdHostAddressDetector() {
        return new HostAddressDetector();
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcServerEndpoint etcdGrpcServerEndpoint(EtcdDiscoveryProperties properties, Environment environment,
            HostAddressDetector hostAddressDetector) {
        return GrpcServerEndpoint.from(properties.getRegistration(), environment.getProperty("spring.application.name"),
                hostAddressDetector, new EndpointValueWriter());
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcServerAutoRegistration etcdGrpcServerAutoRegistration(EtcdServiceRegistry registry,
            GrpcServerEndpoint endpoint, EtcdDiscoveryProperties properties, Environment environment) {
        return new GrpcServerAutoRegistration(registry, endpoint, properties.getRegistration().getShutdownTimeout(),
                DrainDelay.boundedByShutdownPhase(properties.getRegistration().getDrainDelay(), environment));
    }
}
