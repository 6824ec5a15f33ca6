package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.shared.GreeterService;
import dev.etcddiscovery.sample.shared.InstanceAddress;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The greeter on Spring gRPC: it serves {@link GreeterService}, as any {@code BindableService} bean, and its started
 * event gives {@link InstanceAddress} the bound port. On both roles, as all the sample's beans (see
 * {@link SampleApplication}): a client runs no gRPC server, or, from an AOT-processed jar, one that is not registered.
 */
@Configuration(proxyBeanMethods = false)
@Import(GreeterService.class)
class GreeterServer {

    @Bean
    GenericApplicationListener grpcServerStarted(InstanceAddress instanceAddress) {
        return GenericApplicationListener.forEventType(GrpcServerStartedEvent.class,
                (started) -> instanceAddress.serverStarted(started.getPort()));
    }
}
