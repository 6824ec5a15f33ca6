package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.shared.GreeterCalls;
import net.devh.boot.grpc.client.inject.GrpcClient;
import net.devh.boot.grpc.client.inject.GrpcClientBean;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** The stub {@link GreeterCalls} calls with on grpc-spring: a bean on channel {@code greeter}. */
@Configuration(proxyBeanMethods = false)
@Profile("client")
@GrpcClientBean(clazz = GreeterGrpc.GreeterBlockingStub.class, beanName = "greeterStub",
        client = @GrpcClient("greeter"))
class GreeterClient {

}
