package dev.etcddiscovery.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sample jar run as a separate JVM, its output captured to a file under target/. */
public final class SampleProcess implements AutoCloseable {

    static final Path JAR = Paths.get("target", "sample-app.jar");

    private final Process process;

    private final Path output;

    private SampleProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the jar with {@code args}; {@code name} prefixes its log file. */
    public static SampleProcess start(String name, String... args) throws IOException {
        Path logs = Files.createDirectories(Paths.get("target", "sample-logs"));
        Path output = logs.resolve(name + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        return new SampleProcess(process, output);
    }

    /**
     * Starts a greeter server on loopback that registers {@code 127.0.0.1:<its gRPC port>} in etcd at
     * {@code etcdEndpoints}; {@code grpcPort} 0 binds any free port.
     */
    public static SampleProcess server(String etcdEndpoints, int grpcPort, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=server",
                "--etcd.discovery.endpoints=" + etcdEndpoints, "--etcd.discovery.registration.host=127.0.0.1",
                "--grpc.server.address=127.0.0.1", "--grpc.server.port=" + grpcPort, "--server.address=127.0.0.1"));
        args.addAll(List.of(extraArgs));
        if (args.stream().noneMatch((arg) -> arg.startsWith("--server.port="))) {
            args.add("--server.port=0");
        }
        return start("server-" + grpcPort, args.toArray(String[]::new));
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return Files.readString(this.output, StandardCharsets.UTF_8);
    }

    public Path outputFile() {
        return this.output;
    }

    public int awaitExit(long seconds) throws InterruptedException {
        if (!this.process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("still running after " + seconds + " s; see " + this.output);
        }
        return this.process.exitValue();
    }

    /** SIGTERM: a graceful stop, as an orchestrator does. */
    public void stop() throws InterruptedException {
        terminate();
        awaitExit(60);
    }

    /** SIGTERM without waiting for the exit. */
    public void terminate() {
        this.process.destroy();
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    @Override
    public void close() {
        this.process.destroyForcibly();
    }
}
