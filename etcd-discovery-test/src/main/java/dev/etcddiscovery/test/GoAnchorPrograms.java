package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The programs of etcd's Go resolver anchor ({@code shared/anchors/etcd-go-resolver}, outside this repository,
 * read-only): {@code register} (etcd's own {@code endpoints.Manager}), {@code resolve} (etcd's own gRPC resolver),
 * {@code healthsrv}. Found as the bench finds the anchor ({@code -Detcd.go.anchor}, {@code ETCD_GO_RESOLVER_ANCHOR},
 * else beside the repository); a program's {@code src/<name>} is copied to the calling module's
 * {@code target/go-anchor} and built there with the anchor's environment (GOPATH mode against Debian's Go sources, no
 * module proxy). A test using one is skipped, with a message naming what is missing, when Go or those sources are not
 * installed. The bench builds and runs the anchor through the same methods ({@link #anchorFolder()},
 * {@link #copyWritable}, {@link #run}), so there is one place that knows how the anchor's Go is built and run.
 */
public final class GoAnchorPrograms {

    private static final Path WORK = Path.of("target", "go-anchor");

    /** What the anchor's build.sh installs to build against: etcd's and grpc-go's sources, Debian-packaged. */
    private static final Path GO_SOURCES = Path.of("/usr/share/gocode");

    private static final List<String> GO_PACKAGES = List.of("golang-etcd-server-dev", "golang-google-grpc-dev");

    private GoAnchorPrograms() {
    }

    /**
     * The anchor's program {@code name}, built (once per module build); aborts the calling test (an assumption) when
     * it cannot be built on this machine, and fails it when the build itself fails.
     */
    public static synchronized Path build(String name) throws IOException, InterruptedException {
        Path binary = WORK.resolve("bin").resolve(name).toAbsolutePath();
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path anchor = anchorFolder();
        Assumptions.assumeTrue(Files.isDirectory(anchor.resolve("src").resolve(name)),
                () -> "etcd's Go resolver anchor is not at " + anchor.toAbsolutePath().normalize() + " (set -D"
                        + "etcd.go.anchor or ETCD_GO_RESOLVER_ANCHOR)");
        Assumptions.assumeTrue(goVersion().isPresent(), "Go is not installed (`go version` failed): install Debian's golang-go");
        Assumptions.assumeTrue(
                Files.isDirectory(GO_SOURCES.resolve("src/go.etcd.io/etcd/clientv3/naming/endpoints"))
                        && Files.isDirectory(GO_SOURCES.resolve("src/google.golang.org/grpc")),
                () -> "etcd's Go naming sources are not in " + GO_SOURCES + ": install Debian's " + GO_PACKAGES);
        copyWritable(anchor.resolve("src").resolve(name), WORK.resolve("src").resolve(name));
        Result build = run(List.of("go", "build", "-o", "bin/" + name, "./src/" + name), WORK, 900);
        if (build.exitCode() != 0) {
            throw new IllegalStateException("go build of the anchor's " + name + " failed (exit " + build.exitCode()
                    + ") in " + WORK.toAbsolutePath() + ":\n" + build.output());
        }
        return binary;
    }

    /** Where the calling module's programs write their logs. */
    public static Path workFolder() throws IOException {
        return Files.createDirectories(WORK).toAbsolutePath();
    }

    /** The installed Go's version ({@code go1.19.8 linux/amd64}), empty when {@code go version} fails. */
    public static Optional<String> goVersion() throws IOException, InterruptedException {
        Result version = run(List.of("go", "version"), Path.of("."), 30);
        return (version.exitCode() != 0) ? Optional.empty()
                : Optional.of(version.lastLine().replace("go version ", ""));
    }

    /**
     * The anchor's folder: {@code -Detcd.go.anchor}, else {@code ETCD_GO_RESOLVER_ANCHOR}, else
     * {@code ../shared/anchors/etcd-go-resolver} beside the repository.
     */
    public static Path anchorFolder() {
        String configured = System.getProperty("etcd.go.anchor", System.getenv("ETCD_GO_RESOLVER_ANCHOR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path repository = Path.of("").toAbsolutePath();
        while (repository.getParent() != null && !Files.isDirectory(repository.resolve("etcd-discovery-test"))) {
            repository = repository.getParent();
        }
        return repository.resolve("../shared/anchors/etcd-go-resolver");
    }

    /**
     * Copies the folder {@code sources} (of the read-only anchor) to {@code target}, every file writable: Go writes
     * beside the sources it builds.
     */
    public static void copyWritable(Path sources, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(sources)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(sources.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                copy.toFile().setWritable(true);
            }
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    /**
     * Go's build cache: the user's ({@code GOCACHE}, else Go's default under the home directory), not one per build.
     * It is keyed by content, so builds share it safely; one in {@code target} compiled etcd's and grpc-go's packages
     * again in every clean build, ~25 s of CPU per module that runs the Go programs.
     */
    private static Path goCache() {
        String configured = System.getenv("GOCACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "go-build");
    }

    /**
     * Runs {@code command} in {@code directory} to its end, output and errors together (kept in a {@code go-*.log}
     * of {@link #workFolder()}), with the environment of the anchor's {@code build.sh}: GOPATH mode against Debian's
     * Go sources, offline (build settings only; a built program ignores them). A command that cannot start or does
     * not end within {@code timeoutSeconds} (then killed) ends with exit code -1 and why as its output.
     */
    public static Result run(List<String> command, Path directory, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile(workFolder(), "go-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        // the anchor's build.sh environment: GOPATH mode against Debian's sources, offline
        builder.environment()
            .putAll(Map.of("GOPATH", GO_SOURCES.toString(), "GO111MODULE", "off", "GOFLAGS", "", "GOPROXY", "off",
                    "CGO_ENABLED", "0", "GOCACHE", goCache().toString()));
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

    /** The exit code and output of a command {@link #run}. */
    public record Result(int exitCode, String output) {

        /** The output's last line that is not blank, for a one-line error message. */
        public String lastLine() {
            List<String> lines = this.output.lines().filter((line) -> !line.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }
    }
}
