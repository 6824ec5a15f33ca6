package dev.etcddiscovery.spring.registration;

import dev.etcddiscovery.internal.EndpointValueWriter;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.HostAddressDetector;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The beans that register the application's gRPC server, the same on both lines: imported by each line's
 * {@code EtcdRegistrationAutoConfiguration} under its own conditions on that line's server lifecycle, which also adds
 * the listener that hands that line's server events to the {@link GrpcServerAutoRegistration}.
 */
@Configuration(proxyBeanMethods = false)
public class GrpcServerRegistrationConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HostAddressDetector etcdHostAddressDetector() {
        // the detector's messages that ask for the host name the property that sets it
        return new HostAddressDetector("set " + EtcdDiscoveryProperties.PREFIX + ".registration.host");
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
                DrainDelay.boundedByShutdownPhase(properties.getRegistration().getDrainDelay(), environment),
                properties.getRegistration().isEnabled());
    }
}
