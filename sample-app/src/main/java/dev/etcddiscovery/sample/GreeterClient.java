package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.shared.GreeterCalls;
import net.devh.boot.grpc.client.inject.GrpcClient;
import net.devh.boot.grpc.client.inject.GrpcClientBean;

import org.springframework.context.annotation.Configuration;

/**
 * The stub {@link GreeterCalls} calls with on grpc-spring: a bean on channel {@code greeter}. On both roles, as all
 * the sample's beans (see {@link SampleApplication}); a server never calls it, so its channel stays idle.
 */
@Configuration(proxyBeanMethods = false)
@GrpcClientBean(clazz = GreeterGrpc.GreeterBlockingStub.class, beanName = "greeterStub",
        client = @GrpcClient("greeter"))
class GreeterClient {

}
