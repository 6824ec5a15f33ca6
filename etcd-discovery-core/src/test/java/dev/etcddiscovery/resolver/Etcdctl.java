package dev.etcddiscovery.resolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;

/**
 * Runs shell command lines that use {@code etcdctl}, such as the ones of etcd's gRPC naming document, verbatim
 * against a test etcd ({@code ETCDCTL_ENDPOINTS} points them to it).
 */
final class Etcdctl {

    private final EtcdCluster etcd;

    Etcdctl(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    /** Runs a command line to completion and returns its standard output; fails on a non-zero exit. */
    String run(String commandLine) {
        Process process = start(commandLine);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + commandLine);
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("'" + commandLine + "' exited with " + process.exitValue() + ": " + err);
            }
            return out.trim();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Starts a long-running command line (e.g. a lease keep-alive); end it with {@link #stop(Process)}. */
    Process startInBackground(String commandLine) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", commandLine)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ETCDCTL_ENDPOINTS", this.etcd.endpointList());
        try {
            return builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Ends a background command line and every process it started. */
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private Process start(String commandLine) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", commandLine);
        builder.environment().put("ETCDCTL_ENDPOINTS", this.etcd.endpointList());
        try {
            return builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
