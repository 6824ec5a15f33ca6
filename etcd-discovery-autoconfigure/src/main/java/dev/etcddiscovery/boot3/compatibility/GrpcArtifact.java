package dev.etcddiscovery.boot3.compatibility;

/**
 * A grpc-java artifact found on the class path.
 *
 * @param name the artifact id, e.g. {@code grpc-core}
 * @param version the version its jar's manifest declares
 * @param jar where the jar is
 */
record GrpcArtifact(String name, String version, String jar) {

    @Override
    public String toString() {
        return this.name + " " + this.version;
    }
}
