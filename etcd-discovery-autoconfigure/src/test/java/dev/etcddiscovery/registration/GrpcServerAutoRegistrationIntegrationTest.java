package dev.etcddiscovery.registration;

import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

/** {@link AbstractGrpcServerAutoRegistrationIntegrationTest} with grpc-spring servers. */
class GrpcServerAutoRegistrationIntegrationTest extends AbstractGrpcServerAutoRegistrationIntegrationTest {

    @Override
    ConfigurableApplicationContext startApplication(String etcdEndpoints, String... properties) {
        return RegistrationTestApp.start(etcdEndpoints, properties);
    }

    @Override
    int boundPort(ConfigurableApplicationContext app) {
        return app.getBean(RegistrationTestApp.BoundPort.class).get();
    }

    @Override
    List<String> noServerShutdownGracePeriod() {
        return List.of();
    }
}
