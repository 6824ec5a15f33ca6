package dev.etcddiscovery.sample;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.etcddiscovery.sample.SampleProcess.Line;
import dev.etcddiscovery.test.EtcdCluster;

/**
 * A sample jar laid out as Spring Boot recommends where start-up time counts: extracted
 * ({@code java -Djarmode=tools -jar app.jar extract}) and started with a class-data-sharing archive that one training
 * run wrote ({@code -XX:ArchiveClassesAtExit} with {@code -Dspring.context.exit=onRefresh}). A server's start then
 * takes ~3.8 s of CPU instead of ~7 (2 cores, C1 only), and the failure suites start dozens. The same classes run
 * as from the jar: {@code SampleJarIT} and {@code DemoScriptIT} keep starting the jar itself, as users do.
 * <p>
 * Prepared once per jar, in {@code target/cds} beside it, under a file lock, so that the test JVMs of both sample
 * modules share one archive per line; prepared again when the jar changes.
 */
final class CdsLayout {

    private static final String APPLICATION_JAR = "application.jar";

    private static final String ARCHIVE = "application.jsa";

    private CdsLayout() {
    }

    /** What follows {@code java} and the JVM options to start {@code line}'s application this way. */
    static synchronized List<String> launch(Line line) throws IOException {
        Path jar = line.jar().toAbsolutePath().normalize();
        Path directory = jar.getParent().resolve("cds");
        Files.createDirectories(directory);
        try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            Path marker = directory.resolve("prepared-from");
            String jarStamp = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
            if (!Files.isRegularFile(marker) || !Files.readString(marker, StandardCharsets.UTF_8).equals(jarStamp)) {
                prepare(line, jar, directory);
                Files.writeString(marker, jarStamp, StandardCharsets.UTF_8);
            }
        }
        return List.of("-XX:SharedArchiveFile=" + directory.resolve(ARCHIVE), "-jar",
                directory.resolve("application").resolve(APPLICATION_JAR).toString());
    }

    private static void prepare(Line line, Path jar, Path directory) throws IOException {
        Path extracted = directory.resolve("application");
        deleteRecursively(extracted);
        Files.deleteIfExists(directory.resolve(ARCHIVE));
        run(directory.resolve("extract.log"), List.of(SampleProcess.javaBinary(), "-Djarmode=tools", "-jar",
                jar.toString(), "extract", "--destination", extracted.toString()));
        Files.move(extracted.resolve(jar.getFileName()), extracted.resolve(APPLICATION_JAR));
        // the training run: a server of this line on an etcd of its own (the tests' etcd must not see its key),
        // stopped as soon as its context is refreshed, so the archive holds what a start loads
        try (EtcdCluster etcd = EtcdCluster.start()) {
            List<String> command = new ArrayList<>(List.of(SampleProcess.javaBinary()));
            command.addAll(SampleProcess.JVM_OPTIONS);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + directory.resolve(ARCHIVE), "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off", "-Dspring.context.exit=onRefresh", "-jar",
                    extracted.resolve(APPLICATION_JAR).toString()));
            command.addAll(SampleProcess.serverArgs(line, etcd.endpointList(), 0));
            command.add("--server.port=0");
            run(directory.resolve("training.log"), command);
        }
        if (!Files.isRegularFile(directory.resolve(ARCHIVE))) {
            throw new IllegalStateException("the training run wrote no class-data archive; see "
                    + directory.resolve("training.log"));
        }
    }

    private static void run(Path log, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after 3 minutes: " + command + "; see " + log);
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, ex);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit status " + process.exitValue() + " of " + command + "; see " + log);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> paths = Files.walk(path)) {
                for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        }
    }
}
