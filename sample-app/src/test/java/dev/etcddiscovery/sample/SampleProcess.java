package dev.etcddiscovery.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample jar run as a separate JVM, its output captured to a file under target/: the jar of the line under test
 * ({@link Line#underTest()}), or a named line's for the tests that mix the two lines. Shared by both sample modules
 * (sample-app's test-jar, a test dependency of sample-app-spring-grpc), as are the failure-suite helpers that start
 * jars through it.
 */
public final class SampleProcess implements AutoCloseable {

    private static final Pattern ANSWERED_BY = Pattern.compile("answered by (\\S+):");

    /**
     * Options of every sample JVM: the C1 compiler only and the serial collector. A JVM's start is what the sample
     * tests mostly wait for, and on 2 cores C2's compiler threads and the parallel collector's threads take half of
     * the CPU a start needs (a server's start: ~17 s of CPU with the defaults, ~8 s with these). What the tests
     * check of the jars does not depend on how fast their code runs once compiled.
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Process process;

    private final Path output;

    private SampleProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the application of the line under test with {@code args}; {@code name} prefixes its log file. */
    public static SampleProcess start(String name, String... args) throws IOException {
        return start(Line.underTest(), name, args);
    }

    /** Starts the application of {@code line} with {@code args}, from its {@linkplain CdsLayout CDS layout}. */
    public static SampleProcess start(Line line, String name, String... args) throws IOException {
        return start(Launch.CDS_LAYOUT, line, name, args);
    }

    /** Starts the application of {@code line} with {@code args}, launched as {@code launch} says. */
    public static SampleProcess start(Launch launch, Line line, String name, String... args) throws IOException {
        if (!Files.isRegularFile(line.jar)) {
            throw new IllegalStateException(line.jar.toAbsolutePath() + " is missing: build it first (./mvnw -B verify"
                    + " from the root builds sample-app before sample-app-spring-grpc)");
        }
        Path logs = Files.createDirectories(Paths.get("target", "sample-logs"));
        Path output = logs.resolve(line.name().toLowerCase() + "-" + name + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(JVM_OPTIONS);
        command.addAll(switch (launch) {
            case JAR -> List.of("-jar", line.jar.toString());
            case AOT_JAR -> List.of("-Dspring.aot.enabled=true", "-jar", line.jar.toString());
            case CDS_LAYOUT -> CdsLayout.launch(line);
        });
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        return new SampleProcess(process, output);
    }

    /**
     * Starts a greeter server of the line under test on loopback that registers {@code 127.0.0.1:<its gRPC port>} in etcd at
     * {@code etcdEndpoints}; {@code grpcPort} 0 binds any free port.
     */
    public static SampleProcess server(String etcdEndpoints, int grpcPort, String... extraArgs) throws IOException {
        return server(Launch.CDS_LAYOUT, Line.underTest(), etcdEndpoints, grpcPort, extraArgs);
    }

    /** Starts a greeter server of {@code line}, as {@link #server(String, int, String...)} does. */
    public static SampleProcess server(Line line, String etcdEndpoints, int grpcPort, String... extraArgs)
            throws IOException {
        return server(Launch.CDS_LAYOUT, line, etcdEndpoints, grpcPort, extraArgs);
    }

    /** Starts a greeter server of {@code line}, launched as {@code launch} says. */
    public static SampleProcess server(Launch launch, Line line, String etcdEndpoints, int grpcPort,
            String... extraArgs) throws IOException {
        List<String> args = serverArgs(line, etcdEndpoints, grpcPort);
        args.addAll(List.of(extraArgs));
        if (args.stream().noneMatch((arg) -> arg.startsWith("--server.port="))) {
            args.add("--server.port=0");
        }
        return start(launch, line, "server-" + grpcPort, args.toArray(String[]::new));
    }

    /** A server's arguments: the server profile, etcd at {@code etcdEndpoints}, gRPC and HTTP on loopback. */
    static List<String> serverArgs(Line line, String etcdEndpoints, int grpcPort) {
        return new ArrayList<>(List.of("--spring.profiles.active=server", "--etcd.discovery.endpoints=" + etcdEndpoints,
                "--etcd.discovery.registration.host=127.0.0.1", "--" + line.grpcServerPrefix + "address=127.0.0.1",
                "--" + line.grpcServerPrefix + "port=" + grpcPort, "--server.address=127.0.0.1"));
    }

    static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return Files.readString(this.output, StandardCharsets.UTF_8);
    }

    /**
     * Whether the application started from the context that Spring Boot's AOT processing generated
     * ({@link Launch#AOT_JAR}), as it logs.
     */
    public boolean startedFromAotContext() throws IOException {
        return output().contains("Starting AOT-processed SampleApplication");
    }

    /** The instances ({@code host:port}) that answered a client process's calls, from what it printed so far. */
    public Set<String> answeringInstances() throws IOException {
        Set<String> instances = new HashSet<>();
        Matcher matcher = ANSWERED_BY.matcher(output());
        while (matcher.find()) {
            instances.add(matcher.group(1));
        }
        return instances;
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

    /** How a sample JVM is started. */
    public enum Launch {

        /** {@code java -jar} the sample jar, as users run it. */
        JAR,

        /**
         * {@code java -Dspring.aot.enabled=true -jar} the sample jar: its context from the code that Spring Boot's
         * {@code process-aot} generated when the jar was built (docs/aot.md), which a jar without it fails to start.
         */
        AOT_JAR,

        /** The jar extracted and started with a class-data-sharing archive: {@link CdsLayout}. */
        CDS_LAYOUT
    }

    /**
     * The two sample jars: where each is (from either sample module's directory, where the tests run) and how its gRPC
     * server's address and port are set.
     */
    public enum Line {

        /** sample-app-spring-grpc: Spring Boot 4.1, Spring gRPC. */
        BOOT_4_1(Paths.get("..", "sample-app-spring-grpc", "target", "sample-app-spring-grpc.jar"),
                "spring.grpc.server."),

        /** sample-app: Spring Boot 3.5, grpc-spring; built before sample-app-spring-grpc in the same reactor. */
        BOOT_3_5(Paths.get("..", "sample-app", "target", "sample-app.jar"), "grpc.server.");

        /** Names the line under test: each sample module's failsafe configuration sets it to its own line. */
        public static final String PROPERTY = "sample.line";

        private final Path jar;

        private final String grpcServerPrefix;

        Line(Path jar, String grpcServerPrefix) {
            this.jar = jar;
            this.grpcServerPrefix = grpcServerPrefix;
        }

        Path jar() {
            return this.jar;
        }

        /** The line of the module whose tests run, from system property {@value #PROPERTY}. */
        public static Line underTest() {
            String line = System.getProperty(PROPERTY);
            if (line == null) {
                throw new IllegalStateException("System property " + PROPERTY + " is not set: the sample modules'"
                        + " failsafe configuration sets it to the line whose jar the tests run (BOOT_3_5 or BOOT_4_1)");
            }
            return valueOf(line);
        }
    }
}
