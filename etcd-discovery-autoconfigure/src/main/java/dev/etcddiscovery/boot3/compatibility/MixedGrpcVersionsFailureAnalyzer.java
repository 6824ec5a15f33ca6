package dev.etcddiscovery.boot3.compatibility;

import java.util.List;
import java.util.Map;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the mixed io.grpc versions and gives the BOM import, for Maven and Gradle, that aligns them. */
class MixedGrpcVersionsFailureAnalyzer extends AbstractFailureAnalyzer<MixedGrpcVersionsException> {

    private static final String BOM = "dev.etcddiscovery:etcd-discovery-dependencies";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MixedGrpcVersionsException cause) {
        return new FailureAnalysis(description(cause.artifactsByVersion()), action(), cause);
    }

    private static String description(Map<String, List<String>> byVersion) {
        StringBuilder description = new StringBuilder(String.format(
                "The class path mixes io.grpc versions, and grpc-java only works with all of its artifacts at one "
                        + "version:%n%n"));
        byVersion.forEach((version, artifacts) -> description
            .append(String.format("    %s: %s%n", version, String.join(", ", artifacts))));
        return description.append(String.format("%njetcd and grpc-spring depend on different io.grpc versions, and "
                + "without a BOM the build picks each io.grpc artifact's version on its own (Maven: from whichever "
                + "dependency is nearest in the tree). Channels and servers would fail with errors such as "
                + "NoClassDefFoundError."))
            .toString();
    }

    private static String action() {
        String version = EtcdDiscoveryVersion.get();
        if (version == null) {
            version = "<your etcd-discovery-starter version>";
        }
        return String.format("Import %s:%s, which puts io.grpc, protobuf and jetcd at the versions etcd-discovery "
                + "is built and tested with (and drop io.grpc versions you set elsewhere).%n%n"
                + "Maven (pom.xml):%n%n"
                + "    <dependencyManagement>%n"
                + "      <dependencies>%n"
                + "        <dependency>%n"
                + "          <groupId>dev.etcddiscovery</groupId>%n"
                + "          <artifactId>etcd-discovery-dependencies</artifactId>%n"
                + "          <version>%s</version>%n"
                + "          <type>pom</type>%n"
                + "          <scope>import</scope>%n"
                + "        </dependency>%n"
                + "      </dependencies>%n"
                + "    </dependencyManagement>%n%n"
                + "Gradle (build.gradle.kts):%n%n"
                + "    implementation(platform(\"%s:%s\"))%n%n"
                + "To start anyway, set %s=false.", BOM, version, version, BOM, version, GrpcVersionCheck.ENABLED);
    }
}
