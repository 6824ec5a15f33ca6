package dev.etcddiscovery.boot4;

import java.util.ArrayList;
import java.util.List;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * A Spring gRPC server application with nothing but the auto-configuration, an empty service (Spring gRPC only
 * starts a server for an application with a service) and Spring gRPC's own health service, which the tests call.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SpringGrpcServerTestApp {

    @Bean
    BindableService emptyService() {
        return () -> ServerServiceDefinition.builder("test.Empty").build();
    }

    @Bean
    BoundPort boundPort() {
        return new BoundPort();
    }

    /** Starts the application on a free loopback port, registering 127.0.0.1 with a 2 s TTL, plus properties. */
    static ConfigurableApplicationContext start(String etcdEndpoints, String... properties) {
        List<String> all = new ArrayList<>(List.of("etcd.discovery.endpoints=" + etcdEndpoints,
                "spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
                "etcd.discovery.registration.host=127.0.0.1", "etcd.discovery.registration.ttl=2s",
                "etcd.discovery.request-timeout=2s"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(SpringGrpcServerTestApp.class).web(WebApplicationType.NONE)
            .properties(all.toArray(String[]::new))
            .run();
    }

    /** The port Spring gRPC's server bound, seen independently of the registration. */
    static class BoundPort {

        private volatile int port = -1;

        @EventListener
        void onStarted(GrpcServerStartedEvent event) {
            this.port = event.getPort();
        }

        int get() {
            return this.port;
        }
    }
}
