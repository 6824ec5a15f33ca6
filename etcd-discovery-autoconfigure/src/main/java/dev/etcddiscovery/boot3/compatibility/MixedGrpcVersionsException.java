package dev.etcddiscovery.boot3.compatibility;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The class path holds io.grpc artifacts of more than one version. */
public class MixedGrpcVersionsException extends RuntimeException {

    private final List<GrpcArtifact> artifacts;

    MixedGrpcVersionsException(List<GrpcArtifact> artifacts) {
        super("The class path mixes io.grpc versions: " + describe(byVersion(artifacts)));
        this.artifacts = List.copyOf(artifacts);
    }

    /** Artifact names per version, versions in order: {@code 1.63.0 -> [grpc-api, grpc-stub]}. */
    Map<String, List<String>> artifactsByVersion() {
        return byVersion(this.artifacts);
    }

    private static Map<String, List<String>> byVersion(List<GrpcArtifact> artifacts) {
        return artifacts.stream()
            .collect(Collectors.groupingBy(GrpcArtifact::version, TreeMap::new,
                    Collectors.mapping(GrpcArtifact::name, Collectors.toList())));
    }

    private static String describe(Map<String, List<String>> byVersion) {
        return byVersion.entrySet()
            .stream()
            .map((entry) -> entry.getKey() + " (" + String.join(", ", entry.getValue()) + ")")
            .collect(Collectors.joining("; "));
    }
}
