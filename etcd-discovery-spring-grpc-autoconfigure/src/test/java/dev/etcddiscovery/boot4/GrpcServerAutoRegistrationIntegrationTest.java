package dev.etcddiscovery.boot4;

import java.util.List;

import dev.etcddiscovery.spring.registration.AbstractGrpcServerAutoRegistrationIntegrationTest;

import org.springframework.context.ConfigurableApplicationContext;

/** {@link AbstractGrpcServerAutoRegistrationIntegrationTest} with Spring gRPC servers. */
class GrpcServerAutoRegistrationIntegrationTest extends AbstractGrpcServerAutoRegistrationIntegrationTest {

    @Override
    protected ConfigurableApplicationContext startApplication(String etcdEndpoints, String... properties) {
        return SpringGrpcServerTestApp.start(etcdEndpoints, properties);
    }

    @Override
    protected int boundPort(ConfigurableApplicationContext app) {
        return app.getBean(SpringGrpcServerTestApp.BoundPort.class).get();
    }

    @Override
    protected List<String> noServerShutdownGracePeriod() {
        return List.of("spring.grpc.server.shutdown.grace-period=0s");
    }
}
