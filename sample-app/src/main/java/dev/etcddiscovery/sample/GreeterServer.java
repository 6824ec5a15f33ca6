package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.shared.GreeterService;
import dev.etcddiscovery.sample.shared.InstanceAddress;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import net.devh.boot.grpc.server.service.GrpcService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.GenericApplicationListener;

/**
 * The greeter on grpc-spring: it serves {@link GreeterService} as a {@code @GrpcService}, and its started event gives
 * {@link InstanceAddress} the bound port. On both roles, as all the sample's beans (see {@link SampleApplication}): a
 * client runs no gRPC server, or, from an AOT-processed jar, one that is not registered.
 */
@Configuration(proxyBeanMethods = false)
class GreeterServer {

    @Bean
    @GrpcService
    GreeterService greeterService(InstanceAddress instanceAddress) {
        return new GreeterService(instanceAddress);
    }

    @Bean
    GenericApplicationListener grpcServerStarted(InstanceAddress instanceAddress) {
        return GenericApplicationListener.forEventType(GrpcServerStartedEvent.class,
                (started) -> instanceAddress.serverStarted(started.getPort()));
    }
}
