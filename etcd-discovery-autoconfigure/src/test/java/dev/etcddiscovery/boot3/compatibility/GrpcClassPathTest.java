package dev.etcddiscovery.boot3.compatibility;

import java.net.URLClassLoader;
import java.nio.file.Path;

import io.grpc.internal.GrpcUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class GrpcClassPathTest {

    @Test
    void findsTheRealGrpcJarsAtTheVersionGrpcItselfReports() {
        assertThat(GrpcClassPath.artifacts(getClass().getClassLoader()))
            .extracting(GrpcArtifact::name, GrpcArtifact::version)
            .contains(tuple("grpc-api", GrpcUtil.IMPLEMENTATION_VERSION),
                    tuple("grpc-core", GrpcUtil.IMPLEMENTATION_VERSION),
                    tuple("grpc-netty", GrpcUtil.IMPLEMENTATION_VERSION),
                    tuple("grpc-netty-shaded", GrpcUtil.IMPLEMENTATION_VERSION),
                    tuple("grpc-stub", GrpcUtil.IMPLEMENTATION_VERSION),
                    tuple("grpc-protobuf", GrpcUtil.IMPLEMENTATION_VERSION))
            .extracting((artifact) -> artifact.toList().get(1))
            .containsOnly(GrpcUtil.IMPLEMENTATION_VERSION);
    }

    @Test
    void readsTheVersionOfEachJarThatHoldsAnArtifactsClass(@TempDir Path directory) throws Exception {
        FakeGrpcJars jars = new FakeGrpcJars(directory);
        try (URLClassLoader classLoader = FakeGrpcJars.classLoader(null,
                jars.jar("grpc-api-1.63.0.jar", "1.63.0", "io/grpc/ManagedChannelBuilder.class",
                        "io/grpc/Context.class"),
                jars.jar("grpc-core-1.70.0.jar", "1.70.0", "io/grpc/internal/ManagedChannelImplBuilder.class"),
                jars.jar("grpc-api-1.82.2.jar", "1.82.2", "io/grpc/ManagedChannelBuilder.class"),
                jars.jar("grpc-stub-unknown.jar", null, "io/grpc/stub/ClientCalls.class"),
                jars.directory("classes", "io/grpc/netty/NettyChannelBuilder.class"),
                jars.jar("unrelated-1.0.jar", "1.0", "com/example/Unrelated.class"))) {
            assertThat(GrpcClassPath.artifacts(classLoader)).extracting(GrpcArtifact::toString)
                .containsExactly("grpc-api 1.63.0", "grpc-api 1.82.2", "grpc-core 1.70.0");
            assertThat(GrpcClassPath.artifacts(classLoader).get(0).jar()).endsWith("/grpc-api-1.63.0.jar");
        }
    }
}
