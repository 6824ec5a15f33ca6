package dev.etcddiscovery.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.bench.app.BenchApp;
import dev.etcddiscovery.test.EtcdCluster;

/**
 * A gRPC server with the starter in its own JVM: the sample application's jar when it is built, else
 * {@link BenchApp} on this JVM's class path. Its output goes to {@code target/bench-logs}.
 */
final class ServerProcess implements AutoCloseable {

    private static final List<Path> SAMPLE_JARS = List.of(Path.of("sample-app/target/sample-app.jar"),
            Path.of("../sample-app/target/sample-app.jar"));

    private final Process process;

    private ServerProcess(Process process) {
        this.process = process;
    }

    /** What {@link #start} runs: the sample jar, or the bench application. */
    static String describe() {
        return sampleJar().map((jar) -> "the sample application (`" + jar + "`, profile server)")
            .orElse("`BenchApp` on the bench class path (sample-app/target/sample-app.jar is not built)");
    }

    /**
     * Starts a server that registers as {@code service} with the given TTL, on loopback ports chosen by the OS;
     * {@code quick} runs it with C1 only and the serial GC, to start faster in smoke runs.
     */
    static ServerProcess start(EtcdCluster etcd, String service, String ttl, boolean quick) {
        return start(etcd, service, service, ttl, quick);
    }

    /** As {@link #start(EtcdCluster, String, String, boolean)}, logging to {@code target/bench-logs/<log>.log}. */
    static ServerProcess start(EtcdCluster etcd, String service, String log, String ttl, boolean quick) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        if (quick) {
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        }
        sampleJar().ifPresentOrElse((jar) -> command.addAll(List.of("-jar", jar.toString(),
                "--spring.profiles.active=server", "--server.port=0", "--server.address=127.0.0.1")),
                () -> command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchApp.class.getName(),
                        "--spring.application.name=" + service)));
        command.addAll(List.of("--etcd.discovery.endpoints=" + etcd.endpointList(),
                "--etcd.discovery.registration.host=127.0.0.1", "--etcd.discovery.registration.service-name=" + service,
                "--etcd.discovery.registration.ttl=" + ttl, "--grpc.server.address=127.0.0.1", "--grpc.server.port=0"));
        try {
            Path logs = Files.createDirectories(Path.of("target", "bench-logs"));
            return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(log + ".log").toFile())
                .start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + command, ex);
        }
    }

    /** SIGKILL. */
    void kill() {
        this.process.destroyForcibly();
    }

    /** SIGTERM: the graceful stop a platform sends first. */
    void terminate() {
        this.process.destroy();
    }

    /** Waits for the JVM to exit, at most 30 s. */
    void awaitExit() {
        try {
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Server JVM " + this.process.pid() + " did not exit within 30 s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.process.destroyForcibly();
    }

    private static Optional<Path> sampleJar() {
        String configured = System.getProperty("bench.sample-jar");
        if (configured != null) {
            return Optional.of(Path.of(configured));
        }
        return SAMPLE_JARS.stream().filter(Files::isRegularFile).findFirst();
    }
}
