package dev.etcddiscovery.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * {@code bin/register} of etcd's Go resolver anchor ({@code shared/anchors/etcd-go-resolver}, outside this
 * repository, read-only): it registers an address with etcd's own {@code endpoints.Manager}. Found as the bench
 * finds the anchor ({@code -Detcd.go.anchor}, {@code ETCD_GO_RESOLVER_ANCHOR}, else beside the repository); its
 * {@code src/register} is copied to {@code target/go-anchor} and built there with the anchor's environment (GOPATH
 * mode against Debian's Go sources, no module proxy). A test using it is skipped when Go or those sources are missing.
 */
final class GoRegister {

    private static final Path WORK = Path.of("target", "go-anchor");

    /** What the anchor's build.sh installs to build against: etcd's and grpc-go's sources, Debian-packaged. */
    private static final Path GO_SOURCES = Path.of("/usr/share/gocode");

    private static final List<String> GO_PACKAGES = List.of("golang-etcd-server-dev", "golang-google-grpc-dev");

    private final Path binary;

    private GoRegister(Path binary) {
        this.binary = binary;
    }

    /** The built {@code register}; aborts the calling test (an assumption) when it cannot be built here. */
    static GoRegister build() throws IOException, InterruptedException {
        Path anchor = anchorFolder();
        Assumptions.assumeTrue(Files.isDirectory(anchor.resolve("src/register")),
                () -> "etcd's Go resolver anchor is not at " + anchor.toAbsolutePath().normalize() + " (set -D"
                        + "etcd.go.anchor or ETCD_GO_RESOLVER_ANCHOR)");
        Assumptions.assumeTrue(run(List.of("go", "version"), Path.of("."), 30).exitCode() == 0,
                "Go is not installed (`go version` failed): install Debian's golang-go");
        Assumptions.assumeTrue(
                Files.isDirectory(GO_SOURCES.resolve("src/go.etcd.io/etcd/clientv3/naming/endpoints"))
                        && Files.isDirectory(GO_SOURCES.resolve("src/google.golang.org/grpc")),
                () -> "etcd's Go naming sources are not in " + GO_SOURCES + ": install Debian's " + GO_PACKAGES);
        copySources(anchor);
        Result build = run(List.of("go", "build", "-o", "bin/register", "./src/register"), WORK, 900);
        if (build.exitCode() != 0) {
            throw new IllegalStateException("go build of the anchor's register failed (exit " + build.exitCode()
                    + ") in " + WORK.toAbsolutePath() + ":\n" + build.output());
        }
        return new GoRegister(WORK.resolve("bin/register").toAbsolutePath());
    }

    /**
     * Starts {@code register -metadata <metadata> [-key <key>] <endpoints> <service> <addr> <ttl>} and waits until it
     * printed the key it registered; the process keeps the lease alive until it is stopped (SIGTERM: it deletes the
     * key and revokes the lease).
     */
    Process register(String endpoints, String service, String addr, String metadata, String key)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(this.binary.toString(), "-metadata", metadata));
        if (key != null) {
            command.addAll(List.of("-key", key));
        }
        command.addAll(List.of(endpoints, service, addr, "30"));
        Path output = Files.createTempFile(WORK.toAbsolutePath(), "register-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !process.isAlive() || Files.readString(output).contains("registered key="));
        }
        catch (ConditionTimeoutException ex) {
            // reported below
        }
        if (!Files.readString(output).contains("registered key=")) {
            process.destroyForcibly();
            throw new IllegalStateException("register did not register " + addr + ": " + String.join(" ", command)
                    + "\n" + Files.readString(output));
        }
        return process;
    }

    private static Path anchorFolder() {
        String configured = System.getProperty("etcd.go.anchor", System.getenv("ETCD_GO_RESOLVER_ANCHOR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path repository = Path.of("").toAbsolutePath();
        while (repository.getParent() != null
                && !Files.isDirectory(repository.resolve("etcd-discovery-autoconfigure"))) {
            repository = repository.getParent();
        }
        return repository.resolve("../shared/anchors/etcd-go-resolver");
    }

    /** The anchor's folder is read-only and Go writes beside the sources: copy them, writable. */
    private static void copySources(Path anchor) throws IOException {
        Path sources = anchor.resolve("src/register");
        try (Stream<Path> paths = Files.walk(sources)) {
            for (Path path : paths.toList()) {
                Path target = WORK.resolve("src/register").resolve(sources.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().setWritable(true);
            }
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    private static Result run(List<String> command, Path directory, long timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        Path output = Files.createTempFile(WORK.toAbsolutePath(), "go-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        // the anchor's build.sh environment: GOPATH mode against Debian's sources, offline
        builder.environment()
            .putAll(Map.of("GOPATH", GO_SOURCES.toString(), "GO111MODULE", "off", "GOFLAGS", "", "GOPROXY", "off",
                    "CGO_ENABLED", "0", "GOCACHE", WORK.resolve(".gocache").toAbsolutePath().toString()));
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException ex) {
            return new Result(-1, ex.getMessage());
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {
    }
}
