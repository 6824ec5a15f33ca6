package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code etcdctl} (API v3) against an {@link EtcdCluster}, with its TLS material when it has some. */
final class Etcdctl {

    private Etcdctl() {
    }

    /**
     * Runs {@code etcdctl} with {@code args} and returns its standard output.
     * @throws IllegalStateException when etcdctl exits with an error, with its output
     */
    static String run(String endpoints, EtcdCertificates certificates, boolean clientCertAuth, String... args) {
        List<String> command = command(endpoints, certificates, clientCertAuth, args);
        ProcessBuilder builder = processBuilder(command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not run " + command.get(0), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running etcdctl", ex);
        }
    }

    /** Starts {@code etcdctl} with {@code args} without waiting for it (e.g. {@code lease keep-alive}). */
    static Process start(String endpoints, EtcdCertificates certificates, boolean clientCertAuth, String... args) {
        List<String> command = command(endpoints, certificates, clientCertAuth, args);
        ProcessBuilder builder = processBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            return builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not run " + command.get(0), ex);
        }
    }

    private static List<String> command(String endpoints, EtcdCertificates certificates, boolean clientCertAuth,
            String... args) {
        List<String> command = new ArrayList<>(List.of(EtcdBinary.locateEtcdctl().toString(),
                "--endpoints=" + endpoints, "--dial-timeout=5s", "--command-timeout=10s"));
        if (certificates != null) {
            command.add("--cacert=" + certificates.caCertificate());
            if (clientCertAuth) {
                command.add("--cert=" + certificates.clientCertificate());
                command.add("--key=" + certificates.clientKey());
            }
        }
        command.addAll(List.of(args));
        return command;
    }

    private static ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf((key) -> key.startsWith("ETCD"));
        builder.environment().put("ETCDCTL_API", "3");
        return builder;
    }
}
