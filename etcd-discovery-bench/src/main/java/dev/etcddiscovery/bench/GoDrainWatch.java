package dev.etcddiscovery.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.etcddiscovery.test.GoAnchorPrograms;

/**
 * etcd's own Go resolver following one service in a process of its own ({@code drainwatch}, a program of this
 * bench, {@code src/main/resources/go/drainwatch}): every address list the resolver hands its {@code ClientConn},
 * stamped in Go on entry with {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()}, so the pipe to this
 * JVM is not counted. Built offline like the anchor (Debian's Go packages in GOPATH mode) in
 * {@code target/go-anchor}.
 */
final class GoDrainWatch implements AutoCloseable {

    private static final Path WORK = Path.of("target", "go-anchor");

    private static final Path GOPATH = Path.of("/usr/share/gocode");

    private static final String RESOLVER_PACKAGE = "src/go.etcd.io/etcd/clientv3/naming/resolver";

    private final Process process;

    private volatile Expectation<Set<String>> expectation = Expectation.any();

    private GoDrainWatch(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> read(process.getInputStream()), "bench-go-drainwatch");
        reader.setDaemon(true);
        reader.start();
    }

    /** The program built, or why it cannot be. */
    static Availability prepare() {
        try {
            Optional<String> go = GoAnchorPrograms.goVersion();
            if (go.isEmpty()) {
                return Availability.none("Go is not installed (`go version` failed)");
            }
            if (!Files.isDirectory(GOPATH.resolve(RESOLVER_PACKAGE))) {
                return Availability.none("etcd's Go resolver is not in " + GOPATH + " (Debian's "
                        + "golang-etcd-server-dev and golang-google-grpc-dev; the Go anchor's build.sh installs them)");
            }
            Path source = WORK.resolve("src/drainwatch/main.go");
            Files.createDirectories(source.getParent());
            try (InputStream in = GoDrainWatch.class.getResourceAsStream("/go/drainwatch/main.go")) {
                Files.write(source, in.readAllBytes());
            }
            Path log = WORK.resolve("drainwatch-build.log");
            GoAnchorPrograms.Result build = GoAnchorPrograms
                .run(List.of("go", "build", "-o", "bin/drainwatch", "./src/drainwatch"), WORK, 600);
            Files.writeString(log, build.output());
            if (build.exitCode() != 0) {
                return Availability.none("`go build` of drainwatch failed; see " + log);
            }
            return new Availability(true, "etcd's Go resolver as Debian ships it (go.etcd.io/etcd/clientv3/naming/"
                    + "resolver, grpc-go 1.33), built from the bench's drainwatch with " + go.get());
        }
        catch (IOException ex) {
            return Availability.none("drainwatch could not be built in " + WORK + ": " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Availability.none("interrupted while building drainwatch");
        }
    }

    /** Starts following {@code service} and waits for its first list. */
    static GoDrainWatch start(String endpoint, String service, Predicate<Set<String>> firstList) {
        try {
            Process process = new ProcessBuilder(WORK.resolve("bin/drainwatch").toAbsolutePath().toString(),
                    endpoint, service)
                .redirectError(WORK.resolve("drainwatch.log").toFile())
                .start();
            GoDrainWatch watch = new GoDrainWatch(process);
            watch.expect(firstList).await(Duration.ofSeconds(30), "etcd's Go resolver's first list");
            return watch;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start drainwatch: " + ex.getMessage(), ex);
        }
    }

    /** Arms an expectation for the lists handed out from now on, each with the Go resolver's own time stamp. */
    Expectation<Set<String>> expect(Predicate<Set<String>> condition) {
        Expectation<Set<String>> next = new Expectation<>(condition);
        this.expectation = next;
        return next;
    }

    private void read(InputStream output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("mono=")) {
                    long nanos = Long.parseLong(line.substring(5, line.indexOf(' ')));
                    String addresses = line.substring(line.indexOf("addrs=") + 6);
                    Set<String> list = addresses.isEmpty() ? Set.of()
                            : new HashSet<>(Arrays.asList(addresses.split(" ")));
                    this.expectation.offer(list, nanos);
                }
            }
        }
        catch (IOException ex) {
            // the process ended
        }
    }

    /** Closes its stdin, which ends it, and kills it if it does not end within 5 s. */
    @Override
    public void close() {
        try {
            this.process.getOutputStream().close();
            if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        }
        catch (IOException ex) {
            this.process.destroyForcibly();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.process.destroyForcibly();
        }
    }

    /** Whether the program could be built, and a sentence on what it is or why it cannot run. */
    record Availability(boolean built, String description) {

        static Availability none(String reason) {
            return new Availability(false, reason);
        }
    }
}
