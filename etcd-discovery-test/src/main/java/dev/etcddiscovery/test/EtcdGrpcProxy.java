package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.etcd.jetcd.ClientBuilder;

/**
 * etcd's own gRPC proxy ({@code etcd grpc-proxy start}, from the same etcd executable as the members) in front of a
 * running cluster, on a free loopback port: what a large fleet puts between its clients and etcd, as one watcher
 * and one lease keep-alive stream for many clients. Give applications {@link #endpoint()} instead of the members';
 * its output goes to a file under {@code target/etcd-logs} like the members'. Plaintext etcd only.
 * <pre>{@code
 * try (EtcdGrpcProxy proxy = etcd.grpcProxy()) {
 *     Client client = proxy.clientBuilder().build();
 *     ...
 *     proxy.kill();     // SIGKILL
 *     proxy.restart();  // same port
 * }
 * }</pre>
 * Not {@link EtcdProxy}, which forwards bytes and injects network faults: put an {@code EtcdProxy} between this and
 * etcd ({@link #inFrontOf(EtcdProxy)}) to cut or freeze the grpc-proxy's own link to etcd.
 */
public final class EtcdGrpcProxy implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<String> etcdEndpoints;

    private final int port;

    private final Path dataDir;

    private final Path logFile;

    private Process process;

    private EtcdGrpcProxy(List<String> etcdEndpoints) {
        this.etcdEndpoints = List.copyOf(etcdEndpoints);
        this.port = FreePorts.next();
        Path logDir = Paths.get("target", "etcd-logs");
        try {
            Files.createDirectories(logDir);
            this.dataDir = Files.createTempDirectory("etcd-grpc-proxy-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create directories for etcd's grpc-proxy", ex);
        }
        String runId = UUID.randomUUID().toString().substring(0, 8);
        this.logFile = logDir.resolve("grpc-proxy-" + runId + ".log");
    }

    /** Starts a grpc-proxy in front of every member of {@code cluster} and waits until it reaches etcd. */
    public static EtcdGrpcProxy inFrontOf(EtcdCluster cluster) {
        if (cluster.certificates().isPresent()) {
            throw new IllegalArgumentException("EtcdGrpcProxy supports plaintext etcd only, not " + cluster);
        }
        return inFrontOf(cluster.endpoints());
    }

    /**
     * Starts a grpc-proxy whose link to etcd passes through {@code proxy}, so that a test can cut or freeze it, and
     * waits until it reaches etcd.
     */
    public static EtcdGrpcProxy inFrontOf(EtcdProxy proxy) {
        return inFrontOf(List.of(proxy.endpoint()));
    }

    /** Starts a grpc-proxy in front of plaintext etcd URLs, e.g. {@code http://127.0.0.1:2379}. */
    public static EtcdGrpcProxy inFrontOf(List<String> etcdEndpoints) {
        EtcdGrpcProxy proxy = new EtcdGrpcProxy(etcdEndpoints);
        proxy.start();
        proxy.awaitReady();
        return proxy;
    }

    /** The URL applications use instead of etcd's, e.g. {@code http://127.0.0.1:34567}. */
    public String endpoint() {
        return "http://127.0.0.1:" + this.port;
    }

    /** A jetcd client builder for {@link #endpoint()}; the caller closes the client. */
    public ClientBuilder clientBuilder() {
        return JetcdClients.builder(List.of(endpoint()), null, false);
    }

    /** The file that receives the proxy's output (appended across restarts). */
    public Path logFile() {
        return this.logFile;
    }

    /** Whether the process is alive. */
    public synchronized boolean isRunning() {
        return this.process != null && this.process.isAlive();
    }

    /** The proxy's own {@code /metrics} (its watchers, its coalescing), not etcd's. */
    public EtcdMetrics metrics() {
        return EtcdMetrics.read(endpoint());
    }

    /** Stops the process with SIGTERM and waits for it to exit. */
    public void stop() {
        terminate(false);
    }

    /** Kills the process with SIGKILL: open streams end without a goodbye. */
    public void kill() {
        terminate(true);
    }

    /** Starts a stopped or killed proxy again on the same port and waits until it reaches etcd. */
    public void restart() {
        stop();
        start();
        awaitReady();
    }

    /** Kills the proxy and deletes its data directory. The log file stays. */
    @Override
    public void close() {
        kill();
        try (var paths = Files.walk(this.dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a temporary directory left behind
        }
    }

    private synchronized void start() {
        if (isRunning()) {
            return;
        }
        String listen = "127.0.0.1:" + this.port;
        List<String> command = new ArrayList<>();
        command.add(EtcdBinary.locate().toString());
        command.addAll(List.of("grpc-proxy", "start", "--endpoints", String.join(",", hostPorts()),
                "--listen-addr", listen, "--advertise-client-url", listen, "--data-dir", this.dataDir.toString()));
        this.process = EtcdProcesses.start(command, this.logFile);
    }

    /** grpc-proxy takes {@code host:port}, not URLs. */
    private List<String> hostPorts() {
        return this.etcdEndpoints.stream().map(URI::create).map((uri) -> uri.getHost() + ":" + uri.getPort()).toList();
    }

    /** Waits until the proxy's {@code /health} says it reaches etcd (a read it forwards to etcd). */
    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!isRunning()) {
                throw new IllegalStateException("etcd grpc-proxy exited while starting; " + logHint());
            }
            if (isHealthy()) {
                return;
            }
            EtcdMember.pause();
        }
        throw new IllegalStateException("etcd grpc-proxy did not reach etcd within " + START_TIMEOUT + "; " + logHint());
    }

    private boolean isHealthy() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
        try {
            return PROBE.send(request, HttpResponse.BodyHandlers.ofString()).body().contains("\"health\":\"true\"");
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for etcd grpc-proxy", ex);
        }
    }

    private synchronized void terminate(boolean forcibly) {
        if (this.process != null) {
            EtcdProcesses.terminate(this.process, forcibly, "etcd grpc-proxy");
            this.process = null;
        }
    }

    /** A sentence pointing to the proxy's log, with its last lines, for failure messages. */
    public String logHint() {
        return EtcdProcesses.logHint(this.logFile);
    }

    @Override
    public String toString() {
        return "EtcdGrpcProxy(" + endpoint() + " -> " + this.etcdEndpoints + ")";
    }
}
