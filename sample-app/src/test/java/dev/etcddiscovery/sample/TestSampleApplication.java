package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.dev.DevEtcdConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * The sample against a local etcd of its own, for development:
 * {@code ./mvnw spring-boot:test-run -Dspring-boot.run.profiles=server} (Spring Boot's way of running an application
 * with the services a test configuration provides).
 */
public class TestSampleApplication {

    public static void main(String[] args) {
        run(args);
    }

    static SpringApplication.Running run(String... args) {
        return SpringApplication.from(SampleApplication::main).with(DevEtcdConfiguration.class).run(args);
    }
}
