package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.shared.GreeterCalls;

import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.ImportGrpcClients;

/**
 * The stub {@link GreeterCalls} calls with on Spring gRPC: a bean on channel {@code greeter}
 * ({@code spring.grpc.client.channel.greeter.target}). On both roles, as all the sample's beans (see
 * {@link SampleApplication}); a server never calls it, so its channel stays idle.
 */
@Configuration(proxyBeanMethods = false)
@ImportGrpcClients(target = "greeter", types = GreeterGrpc.GreeterBlockingStub.class)
class GreeterClient {

}
