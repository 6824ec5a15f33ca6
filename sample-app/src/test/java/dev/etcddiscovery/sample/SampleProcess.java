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
final class SampleProcess implements AutoCloseable {

    static final Path JAR = Paths.get("target", "sample-app.jar");

    private final Process process;

    private final Path output;

    private SampleProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static SampleProcess start(String name, String... args) throws IOException {
        Path logs = Files.createDirectories(Paths.get("target", "sample-logs"));
        Path output = logs.resolve(name + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        return new SampleProcess(process, output);
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    String output() throws IOException {
        return Files.readString(this.output, StandardCharsets.UTF_8);
    }

    Path outputFile() {
        return this.output;
    }

    int awaitExit(long seconds) throws InterruptedException {
        if (!this.process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("still running after " + seconds + " s; see " + this.output);
        }
        return this.process.exitValue();
    }

    /** SIGTERM: a graceful stop, as an orchestrator does. */
    void stop() throws InterruptedException {
        this.process.destroy();
        awaitExit(60);
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    @Override
    public void close() {
        this.process.destroyForcibly();
    }
}
