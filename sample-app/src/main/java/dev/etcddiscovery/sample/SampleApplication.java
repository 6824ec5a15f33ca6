package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.shared.SampleLauncher;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Greeter server (profile {@code server}) and client (profile {@code client}) that find each other through etcd,
 * with no discovery code of their own: the starter, application.yml, {@code @GrpcService} and
 * {@code @GrpcClientBean}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SampleLauncher.launch(SampleApplication.class, args);
    }
}
