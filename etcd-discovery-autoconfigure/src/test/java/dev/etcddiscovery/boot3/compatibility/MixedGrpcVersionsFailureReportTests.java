package dev.etcddiscovery.boot3.compatibility;

import java.net.URLClassLoader;
import java.nio.file.Path;

import io.grpc.internal.GrpcUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** A real SpringApplication run on a mixed class path ends with the report, before any bean is created. */
@ExtendWith(OutputCaptureExtension.class)
class MixedGrpcVersionsFailureReportTests {

    @Test
    void reportNamesTheVersionsAndGivesTheBomImport(@TempDir Path directory, CapturedOutput output) throws Exception {
        String version = EtcdDiscoveryVersion.get();
        assertThat(version).as("filtered into etcd-discovery.properties").isNotBlank().doesNotContain("@");
        // the test's own class path (io.grpc at one version) plus grpc-spring's and jetcd's versions
        try (URLClassLoader classLoader = FakeGrpcJars.classLoader(getClass().getClassLoader(),
                new FakeGrpcJars(directory).mixed())) {
            SpringApplication application = new SpringApplication(App.class);
            application.setResourceLoader(new DefaultResourceLoader(classLoader));
            application.setWebApplicationType(WebApplicationType.NONE);
            assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off"))
                .isInstanceOf(MixedGrpcVersionsException.class);
        }
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
            .contains("The class path mixes io.grpc versions, and grpc-java only works with all of its artifacts at "
                    + "one version:\n\n    1.63.0: grpc-api\n    1.70.0: grpc-core\n")
            .contains("    " + GrpcUtil.IMPLEMENTATION_VERSION + ": grpc-api, grpc-core, grpc-netty")
            .contains("Action:\n\nImport dev.etcddiscovery:etcd-discovery-dependencies:" + version)
            .contains("""
                            <dependency>
                              <groupId>dev.etcddiscovery</groupId>
                              <artifactId>etcd-discovery-dependencies</artifactId>
                              <version>%s</version>
                              <type>pom</type>
                              <scope>import</scope>
                            </dependency>
                    """.formatted(version))
            .contains("    implementation(platform(\"dev.etcddiscovery:etcd-discovery-dependencies:" + version + "\"))")
            .contains("set etcd.discovery.grpc-version-check.enabled=false")
            .doesNotContain("NoClassDefFoundError:");
    }

    @Configuration(proxyBeanMethods = false)
    static class App {

    }
}
