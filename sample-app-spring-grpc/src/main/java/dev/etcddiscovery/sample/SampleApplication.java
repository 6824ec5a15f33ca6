package dev.etcddiscovery.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Greeter server (profile {@code server}) and client (profile {@code client}) that find each other through etcd,
 * with no discovery code of their own: the Spring gRPC starter, application.yml, a {@code BindableService} bean and
 * {@code @ImportGrpcClients}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class, args);
        if (context.getEnvironment().matchesProfiles("client")) {
            // the client is a command: it ends when its calls are done, with their outcome as exit status
            System.exit(SpringApplication.exit(context));
        }
    }
}
