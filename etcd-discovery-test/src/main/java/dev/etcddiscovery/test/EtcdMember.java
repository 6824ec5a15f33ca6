package dev.etcddiscovery.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ClientBuilder;

/**
 * One etcd process of an {@link EtcdCluster}: its ports, data directory and log file stay the same across
 * {@link #stop()}, {@link #kill()} and {@link #start()}, so a restarted member keeps its data and its address.
 */
public final class EtcdMember {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EtcdCluster cluster;

    private final String name;

    private int clientPort;

    private int peerPort;

    private final Path logFile;

    private Path dataDir;

    private Process process;

    EtcdMember(EtcdCluster cluster, String name, Path dataDir, Path logFile) {
        this.cluster = cluster;
        this.name = name;
        this.clientPort = FreePorts.next();
        this.peerPort = FreePorts.next();
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    /** The member's name in the cluster. */
    public String name() {
        return this.name;
    }

    /** Client URL, e.g. {@code http://127.0.0.1:34567}. */
    public String endpoint() {
        return this.cluster.clientScheme() + "://127.0.0.1:" + this.clientPort;
    }

    /** A jetcd client builder for this member alone, with the cluster's TLS material; the caller closes the client. */
    public ClientBuilder clientBuilder() {
        return this.cluster.clientBuilder(List.of(endpoint()));
    }

    EtcdCluster cluster() {
        return this.cluster;
    }

    /** The client port on 127.0.0.1. */
    public int clientPort() {
        return this.clientPort;
    }

    String peerUrl() {
        return "http://127.0.0.1:" + this.peerPort;
    }

    /** The file that receives this member's output (appended across restarts). */
    public Path logFile() {
        return this.logFile;
    }

    /** The member's data directory. */
    public Path dataDir() {
        return this.dataDir;
    }

    /** Whether the process is alive. */
    public synchronized boolean isRunning() {
        return this.process != null && this.process.isAlive();
    }

    /** Starts the process (if it is not running) with its existing data. Returns without waiting for readiness. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(EtcdBinary.locate().toString());
        command.addAll(List.of("--name", this.name, "--data-dir", this.dataDir.toString(),
                "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", this.cluster.initialCluster(), "--initial-cluster-token",
                this.cluster.clusterToken(), "--initial-cluster-state", "new"));
        command.addAll(this.cluster.extraArgs());
        this.process = EtcdProcesses.start(command, this.logFile);
    }

    /** Stops the process with SIGTERM and waits for it to exit. */
    public void stop() {
        terminate(false);
    }

    /** Kills the process with SIGKILL and waits for it to exit: no chance to flush or say goodbye. */
    public void kill() {
        terminate(true);
    }

    /** Stops (SIGTERM), then starts again with the same data and ports, and waits until it serves. */
    public void restart() {
        stop();
        start();
        awaitReady(this.cluster.startTimeout());
    }

    private synchronized void terminate(boolean forcibly) {
        if (this.process != null) {
            EtcdProcesses.terminate(this.process, forcibly, "etcd member " + this.name);
            this.process = null;
        }
    }

    /**
     * Picks new ports, for a first start that lost its ports to another process between picking and binding.
     */
    synchronized void repickPorts() {
        this.clientPort = FreePorts.next();
        this.peerPort = FreePorts.next();
    }

    /** Whether the log says a port was taken when this member tried to bind it. */
    boolean lostPortRace() {
        try {
            return Files.readString(this.logFile, StandardCharsets.UTF_8).contains("address already in use");
        }
        catch (IOException ex) {
            return false;
        }
    }

    synchronized void replaceDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Waits until the member answers its health endpoint, failing with the tail of its log if it does not. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!isRunning()) {
                throw new IllegalStateException("etcd member " + this.name + " exited while starting; " + logHint());
            }
            if (isHealthy()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException(
                "etcd member " + this.name + " was not healthy within " + timeout + "; " + logHint());
    }

    /** Whether the member answers {@code /health} with a leader elected. */
    public boolean isHealthy() {
        try {
            JsonNode health = JSON.readTree(get("/health"));
            return "true".equals(health.path("health").asText());
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** Whether this member is the cluster's current raft leader. */
    public boolean isLeader() {
        try {
            JsonNode status = JSON.readTree(post("/v3/maintenance/status", "{}"));
            String self = status.path("header").path("member_id").asText();
            return !self.isEmpty() && self.equals(status.path("leader").asText());
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** A reading of this member's {@code /metrics} (over TLS when the cluster serves TLS). */
    public EtcdMetrics metrics() {
        return EtcdMetrics.read(this.cluster.probe(), endpoint());
    }

    private String get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(endpoint() + path)).GET());
    }

    private String post(String path, String body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(endpoint() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private String send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = this.cluster.probe().send(request.timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    /** A sentence pointing to this member's log, with its last lines. */
    public String logHint() {
        return EtcdProcesses.logHint(this.logFile);
    }

    static void pause() {
        try {
            // polling interval of readiness checks, not a synchronisation by itself
            Thread.sleep(50);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for etcd", ex);
        }
    }

    @Override
    public String toString() {
        return this.name + "(" + endpoint() + ")";
    }
}
