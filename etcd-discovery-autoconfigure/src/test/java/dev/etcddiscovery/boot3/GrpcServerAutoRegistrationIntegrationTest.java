package dev.etcddiscovery.boot3;

import java.util.List;

import dev.etcddiscovery.spring.registration.AbstractGrpcServerAutoRegistrationIntegrationTest;

import org.springframework.context.ConfigurableApplicationContext;

/** {@link AbstractGrpcServerAutoRegistrationIntegrationTest} with grpc-spring servers. */
class GrpcServerAutoRegistrationIntegrationTest extends AbstractGrpcServerAutoRegistrationIntegrationTest {

    @Override
    protected ConfigurableApplicationContext startApplication(String etcdEndpoints, String... properties) {
        return RegistrationTestApp.start(etcdEndpoints, properties);
    }

    @Override
    protected int boundPort(ConfigurableApplicationContext app) {
        return app.getBean(RegistrationTestApp.BoundPort.class).get();
    }

    @Override
    protected List<String> noServerShutdownGracePeriod() {
        return List.of();
    }
}
