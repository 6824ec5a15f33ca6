package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
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
 * installed.
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
        Assumptions.assumeTrue(run(List.of("go", "version"), Path.of("."), 30).exitCode() == 0,
                "Go is not installed (`go version` failed): install Debian's golang-go");
        Assumptions.assumeTrue(
                Files.isDirectory(GO_SOURCES.resolve("src/go.etcd.io/etcd/clientv3/naming/endpoints"))
                        && Files.isDirectory(GO_SOURCES.resolve("src/google.golang.org/grpc")),
                () -> "etcd's Go naming sources are not in " + GO_SOURCES + ": install Debian's " + GO_PACKAGES);
        copySources(anchor, name);
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

    private static Path anchorFolder() {
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

    /** The anchor's folder is read-only and Go writes beside the sources: copy them, writable. */
    private static void copySources(Path anchor, String name) throws IOException {
        Path sources = anchor.resolve("src").resolve(name);
        try (Stream<Path> paths = Files.walk(sources)) {
            for (Path path : paths.toList()) {
                Path target = WORK.resolve("src").resolve(name).resolve(sources.relativize(path).toString());
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
        Path output = Files.createTempFile(workFolder(), "go-", ".log");
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
