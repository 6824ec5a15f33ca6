package dev.etcddiscovery.registration;

import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

/** {@link AbstractGrpcServerAutoRegistrationIntegrationTest} with Spring gRPC servers. */
class GrpcServerAutoRegistrationIntegrationTest extends AbstractGrpcServerAutoRegistrationIntegrationTest {

    @Override
    ConfigurableApplicationContext startApplication(String etcdEndpoints, String... properties) {
        return SpringGrpcServerTestApp.start(etcdEndpoints, properties);
    }

    @Override
    int boundPort(ConfigurableApplicationContext app) {
        return app.getBean(SpringGrpcServerTestApp.BoundPort.class).get();
    }

    @Override
    List<String> noServerShutdownGracePeriod() {
        return List.of("spring.grpc.server.shutdown.grace-period=0s");
    }
}
