package dev.etcddiscovery.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.etcddiscovery.test.GoAnchorPrograms;

/**
 * etcd's own Go resolver, run by its anchor program ({@code shared/anchors/etcd-go-resolver}, outside this
 * repository, read-only): found through {@code -Detcd.go.anchor} or {@code ETCD_GO_RESOLVER_ANCHOR}, else
 * {@code ../shared/anchors/etcd-go-resolver} beside the repository. Its {@code build.sh} and {@code src} are copied
 * to {@code target/go-anchor} and built there (the anchor writes beside itself); a {@code bin/anchor} already built
 * in the anchor's folder is used as it is.
 * <p>
 * The copy gets one change: the {@code scale} step's new endpoints are put at 127.0.0.2:30000+i instead of
 * 127.0.0.1:30000+i, because from 20,000 endpoints on the loaded ones (127.0.0.1:10000+j) already include those
 * addresses: the put replaces a key, the count it waits for never comes and the step fails after 10 s.
 */
final class GoAnchor {

    static final String PROPERTY = "etcd.go.anchor";

    static final String ENVIRONMENT = "ETCD_GO_RESOLVER_ANCHOR";

    private static final Path WORK = Path.of("target", "go-anchor");

    private static final String SCALE_NEW_ENDPOINT = "a := fmt.Sprintf(\"127.0.0.1:%d\", 30000+i)";

    /** Without the change above, the largest {@code scale} step that works (a prebuilt anchor has not got it). */
    private static final int UNCHANGED_SCALE_LIMIT = 20_000;

    private final boolean prebuilt;

    private final Path binary;

    private GoAnchor(Path binary, boolean prebuilt) {
        this.binary = binary;
        this.prebuilt = prebuilt;
    }

    /** The anchor ready to run, or why it cannot be. */
    static Availability prepare() {
        Path folder = GoAnchorPrograms.anchorFolder();
        if (Files.isExecutable(folder.resolve("bin/anchor"))) {
            return new Availability(Optional.of(new GoAnchor(folder.resolve("bin/anchor"), true)),
                    "prebuilt " + folder);
        }
        if (!Files.isRegularFile(folder.resolve("build.sh")) || !Files.isDirectory(folder.resolve("src/anchor"))) {
            return Availability.none("no anchor at " + folder.toAbsolutePath().normalize() + " (set -D" + PROPERTY
                    + " or " + ENVIRONMENT + ")");
        }
        try {
            Optional<String> go = GoAnchorPrograms.goVersion();
            if (go.isEmpty()) {
                return Availability.none("Go is not installed (`go version` failed)");
            }
            copy(folder);
            GoAnchorPrograms.Result build = GoAnchorPrograms.run(List.of("./build.sh"), WORK, 600);
            Files.writeString(WORK.resolve("build.log"), build.output());
            if (build.exitCode() != 0) {
                return Availability.none("its build.sh failed (exit " + build.exitCode() + "): "
                        + build.lastLine() + "; see " + WORK.resolve("build.log"));
            }
            return new Availability(Optional.of(new GoAnchor(WORK.resolve("bin/anchor"), false)),
                    "built from " + folder.toAbsolutePath().normalize() + " with " + go.get());
        }
        catch (IOException ex) {
            return Availability.none("it could not be copied to " + WORK + ": " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Availability.none("interrupted while building it");
        }
    }

    /** {@code anchor prop}: raw watch, resolver, and both on the same puts, after {@code warmup} changes each. */
    GoResults propagation(int changes, int warmup) {
        return run("prop", "-n", String.valueOf(changes), "-warmup", String.valueOf(warmup));
    }

    /**
     * {@code anchor scale}: first full update of {@code endpoints} (cold builds), then single changes; nothing from a
     * prebuilt anchor above 20,000 endpoints (see above).
     */
    GoResults scale(int endpoints, int changes, int builds) {
        if (this.prebuilt && endpoints > UNCHANGED_SCALE_LIMIT) {
            return GoResults.parse("");
        }
        return run("scale", "-n", String.valueOf(endpoints), "-changes", String.valueOf(changes), "-builds",
                String.valueOf(builds));
    }

    private GoResults run(String... args) {
        List<String> command = new ArrayList<>(List.of(this.binary.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        GoAnchorPrograms.Result result;
        try {
            result = GoAnchorPrograms.run(command, Path.of("."), 900);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run etcd's Go resolver anchor: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running etcd's Go resolver anchor", ex);
        }
        if (result.exitCode() != 0) {
            throw new IllegalStateException("etcd's Go resolver anchor failed: " + String.join(" ", command) + " → "
                    + result.lastLine());
        }
        return GoResults.parse(result.output());
    }

    /** Its {@code build.sh} and sources, writable: the anchor builds beside itself. */
    private static void copy(Path folder) throws IOException {
        Files.createDirectories(WORK);
        Path build = WORK.resolve("build.sh");
        Files.copy(folder.resolve("build.sh"), build, StandardCopyOption.REPLACE_EXISTING);
        build.toFile().setWritable(true);
        build.toFile().setExecutable(true);
        GoAnchorPrograms.copyWritable(folder.resolve("src"), WORK.resolve("src"));
        Path main = WORK.resolve("src/anchor/main.go");
        String source = Files.readString(main);
        if (!source.contains(SCALE_NEW_ENDPOINT)) {
            throw new IOException("its src/anchor/main.go has no `" + SCALE_NEW_ENDPOINT + "` to move to 127.0.0.2");
        }
        Files.writeString(main,
                source.replace(SCALE_NEW_ENDPOINT, SCALE_NEW_ENDPOINT.replace("127.0.0.1", "127.0.0.2")));
    }

    /**
     * The anchor, when it can run, and a sentence on where it comes from or why it cannot run.
     */
    record Availability(Optional<GoAnchor> anchor, String description) {

        static Availability none(String reason) {
            return new Availability(Optional.empty(), reason);
        }
    }
}
