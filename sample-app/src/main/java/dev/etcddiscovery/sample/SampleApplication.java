package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.shared.SampleLauncher;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Greeter server (profile {@code server}) and client (profile {@code client}) that find each other through etcd,
 * with no discovery code of their own: the starter, application.yml, {@code @GrpcService} and
 * {@code @GrpcClientBean}.
 * <p>
 * The role is decided at run time, not by bean conditions: every bean of the sample exists on both roles and the
 * profiles only set properties, so that one AOT-processed jar, whose beans are fixed when it is built, runs as either
 * ({@code java -Dspring.aot.enabled=true -jar sample-app.jar --spring.profiles.active=client,aot}; docs/aot.md).
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SampleLauncher.launch(SampleApplication.class, args);
    }
}
