package dev.etcddiscovery.boot3.compatibility;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class GrpcVersionCheckTest {

    private final GrpcVersionCheck check = new GrpcVersionCheck(Supplier::get);

    @Test
    void mixedVersionsStopTheStartNamingThem(@TempDir Path directory) throws Exception {
        try (URLClassLoader classLoader = FakeGrpcJars.classLoader(null, new FakeGrpcJars(directory).mixed())) {
            assertThatException()
                .isThrownBy(() -> this.check.postProcessEnvironment(new MockEnvironment(), application(classLoader)))
                .isInstanceOf(MixedGrpcVersionsException.class)
                .withMessage("The class path mixes io.grpc versions: 1.63.0 (grpc-api); 1.70.0 (grpc-core)");
        }
    }

    @Test
    void oneVersionPasses() {
        assertThatNoException().isThrownBy(() -> this.check.postProcessEnvironment(new MockEnvironment(),
                application(getClass().getClassLoader())));
    }

    @Test
    void canBeTurnedOffAndIsOffWithTheStarter(@TempDir Path directory) throws Exception {
        try (URLClassLoader classLoader = FakeGrpcJars.classLoader(null, new FakeGrpcJars(directory).mixed())) {
            assertThatNoException().isThrownBy(() -> this.check.postProcessEnvironment(
                    new MockEnvironment().withProperty(GrpcVersionCheck.ENABLED, "false"), application(classLoader)));
            assertThatNoException().isThrownBy(() -> this.check.postProcessEnvironment(
                    new MockEnvironment().withProperty("etcd.discovery.enabled", "false"), application(classLoader)));
        }
    }

    private static SpringApplication application(ClassLoader classLoader) {
        SpringApplication application = new SpringApplication();
        application.setResourceLoader(new DefaultResourceLoader(classLoader));
        return application;
    }
}
