package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.dev.DevEtcdConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * The Boot 4.1 sample against a local etcd of its own, for development:
 * {@code ./mvnw spring-boot:test-run -Dspring-boot.run.profiles=server}, as {@code sample-app}'s.
 */
public class TestSampleApplication {

    public static void main(String[] args) {
        SpringApplication.from(SampleApplication::main).with(DevEtcdConfiguration.class).run(args);
    }
}
