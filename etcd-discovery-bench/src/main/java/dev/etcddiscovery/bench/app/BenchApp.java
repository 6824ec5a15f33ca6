package dev.etcddiscovery.bench.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The tiny Spring Boot application of the startup and removal benchmarks: one gRPC server (grpc-spring) with the
 * {@link Echo} service, and the starter on the class path. No web server.
 */
@SpringBootApplication
public class BenchApp {

    public static void main(String[] args) {
        SpringApplication.run(BenchApp.class, args);
    }
}
