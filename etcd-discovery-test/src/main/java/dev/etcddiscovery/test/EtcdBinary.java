package dev.etcddiscovery.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the {@code etcd} executable: {@code ETCD_BINARY} (environment variable or system property) first, then
 * {@code etcd} on the {@code PATH}.
 */
public final class EtcdBinary {

    /** Environment variable (or system property) naming the etcd executable to run. */
    public static final String ETCD_BINARY = "ETCD_BINARY";

    private EtcdBinary() {
    }

    /** Returns the {@code etcdctl} beside the etcd executable, or else the one on the {@code PATH}. */
    public static Path locateEtcdctl() {
        Path sibling = locate().resolveSibling("etcdctl");
        return Files.isExecutable(sibling) ? sibling : onPath("etcdctl");
    }

    /**
     * Returns the etcd executable to run.
     * @throws IllegalStateException when none is found, with instructions to install one
     */
    public static Path locate() {
        String configured = System.getProperty(ETCD_BINARY, System.getenv(ETCD_BINARY));
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(ETCD_BINARY + "=" + configured + " is not an executable file");
            }
            return path;
        }
        return onPath("etcd");
    }

    private static Path onPath(String executable) {
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + executable + " executable found: set " + ETCD_BINARY
                + " to etcd's path (" + executable + " is looked up beside it) or put '" + executable + "' on the PATH. On Debian/Ubuntu: 'apt-get install etcd-server etcd-client';"
                + " elsewhere download a release from https://github.com/etcd-io/etcd/releases");
    }
}
