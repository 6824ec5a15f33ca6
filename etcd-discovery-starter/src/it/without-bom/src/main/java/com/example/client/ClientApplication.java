package com.example.client;

import io.grpc.Channel;
import net.devh.boot.grpc.client.inject.GrpcClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Builds its etcd:///greeter channel while it starts, where the mixed io.grpc versions used to blow up. */
@SpringBootApplication
public class ClientApplication {

    @GrpcClient("greeter")
    private Channel greeter;

    public static void main(String[] args) {
        SpringApplication.run(ClientApplication.class, args);
    }
}
