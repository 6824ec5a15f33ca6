package com.example.greeter;

import net.devh.boot.grpc.client.inject.GrpcClient;

import org.springframework.stereotype.Component;

@Component
public class GreeterClient {

    @GrpcClient("greeter")
    private GreeterGrpc.GreeterBlockingStub greeter;

    public String greet(String name) {
        return this.greeter.sayHello(HelloRequest.newBuilder().setName(name).build()).getMessage();
    }
}
