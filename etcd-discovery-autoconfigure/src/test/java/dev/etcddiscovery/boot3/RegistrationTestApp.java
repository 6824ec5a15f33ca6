package dev.etcddiscovery.boot3;

import java.util.ArrayList;
import java.util.List;

import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A grpc-spring server application with nothing but the starter (and grpc-spring's health service, which the tests
 * call). Runs in the test JVM through {@link #start}, or in its own JVM through {@link #main}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RegistrationTestApp {

    @Bean
    BoundPort boundPort() {
        return new BoundPort();
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(RegistrationTestApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args);
    }

    /** Starts the application on a free loopback port, registering 127.0.0.1 with a 2 s TTL, plus properties. */
    static ConfigurableApplicationContext start(String etcdEndpoints, String... properties) {
        List<String> all = new ArrayList<>(List.of("etcd.discovery.endpoints=" + etcdEndpoints, "grpc.server.port=0",
                "grpc.server.address=127.0.0.1", "etcd.discovery.registration.host=127.0.0.1",
                "etcd.discovery.registration.ttl=2s", "etcd.discovery.request-timeout=2s"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(RegistrationTestApp.class).web(WebApplicationType.NONE)
            .properties(all.toArray(String[]::new))
            .run();
    }

    /** The port grpc-spring's server bound, seen independently of the registration. */
    static class BoundPort {

        private volatile int port = -1;

        @EventListener
        void onStarted(GrpcServerStartedEvent event) {
            this.port = event.getServer().getPort();
        }

        int get() {
            return this.port;
        }
    }
}
