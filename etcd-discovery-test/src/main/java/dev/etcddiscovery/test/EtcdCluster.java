package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

/**
 * Real etcd processes for tests: one member by default, or a cluster of several, on free loopback ports with
 * temporary data directories. Output of each member goes to a file under {@code target/etcd-logs}.
 *
 * <pre>{@code
 * try (EtcdCluster etcd = EtcdCluster.start()) {
 *     Client client = etcd.client();
 *     ...
 *     etcd.kill();     // SIGKILL every member
 *     etcd.restart();  // same data, same ports
 *     etcd.wipe();     // a new, empty cluster on the same ports
 * }
 * }</pre>
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Path LOG_DIR = Paths.get("target", "etcd-logs");

    private final List<EtcdMember> members = new ArrayList<>();

    private final List<String> extraArgs;

    private final String clientScheme;

    private final Duration startTimeout;

    private final EtcdCertificates certificates;

    private final boolean clientCertAuth;

    private final HttpClient probe;

    private String clusterToken;

    EtcdCluster(EtcdClusterBuilder builder) {
        this.extraArgs = List.copyOf(builder.tlsArgs());
        this.clientScheme = (builder.certificates != null) ? "https" : builder.clientScheme;
        this.startTimeout = builder.startTimeout;
        this.certificates = builder.certificates;
        this.clientCertAuth = builder.clientCertAuth;
        HttpClient.Builder probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (this.certificates != null) {
            probe.sslContext(this.certificates.sslContext(this.clientCertAuth));
        }
        this.probe = probe.build();
        this.clusterToken = newToken();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        try {
            Files.createDirectories(LOG_DIR);
            for (int i = 0; i < builder.members; i++) {
                String name = "etcd" + i;
                Path dataDir = Files.createTempDirectory("etcd-" + name + "-");
                this.members.add(new EtcdMember(this, name, dataDir, LOG_DIR.resolve(name + "-" + runId + ".log")));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create directories for etcd", ex);
        }
    }

    /** Starts a single-member etcd and waits until it serves. */
    public static EtcdCluster start() {
        return builder().start();
    }

    /** Starts a cluster of {@code members} members and waits until it has a leader. */
    public static EtcdCluster start(int members) {
        return builder().members(members).start();
    }

    /** A builder for clusters with extra etcd flags (TLS, auth, ...). */
    public static EtcdClusterBuilder builder() {
        return new EtcdClusterBuilder();
    }

    /** The members, in the order they were created. */
    public List<EtcdMember> members() {
        return List.copyOf(this.members);
    }

    /** Client URLs of all members. */
    public List<String> endpoints() {
        return this.members.stream().map(EtcdMember::endpoint).toList();
    }

    /** Client URLs of all members, comma-separated (the form of {@code etcd.discovery.endpoints}). */
    public String endpointList() {
        return String.join(",", endpoints());
    }

    /** Client URL of the first member. */
    public String endpoint() {
        return this.members.get(0).endpoint();
    }

    /**
     * A jetcd client builder for every member, trusting this cluster's CA and presenting its client certificate
     * when the cluster was started with TLS: add options (auth, timeouts) before {@code build()}.
     */
    public ClientBuilder clientBuilder() {
        return clientBuilder(endpoints());
    }

    /** A jetcd client builder for {@code endpoints} of this cluster (or in front of it), with its TLS material. */
    ClientBuilder clientBuilder(List<String> endpoints) {
        return JetcdClients.builder(endpoints, this.certificates, this.clientCertAuth);
    }

    /** A jetcd client for every member; the caller closes it. */
    public Client client() {
        return clientBuilder().build();
    }

    /**
     * Starts etcd's gRPC proxy ({@code etcd grpc-proxy start}) in front of every member, on a free loopback port;
     * the caller closes it.
     */
    public EtcdGrpcProxy grpcProxy() {
        return EtcdGrpcProxy.inFrontOf(this);
    }

    /** The member that is the raft leader right now, awaiting an election if needed. */
    public EtcdMember leader() {
        Instant deadline = Instant.now().plus(this.startTimeout);
        while (Instant.now().isBefore(deadline)) {
            for (EtcdMember member : this.members) {
                if (member.isRunning() && member.isLeader()) {
                    return member;
                }
            }
            EtcdMember.pause();
        }
        throw new IllegalStateException("No etcd leader elected within " + this.startTimeout + "; " + logHint());
    }

    /** SIGKILLs one member. */
    public void kill(EtcdMember member) {
        member.kill();
    }

    /** SIGTERMs every member and waits for them to exit. Data is kept for {@link #restart()}. */
    public void stop() {
        this.members.forEach(EtcdMember::stop);
    }

    /** SIGKILLs every member. Data is kept for {@link #restart()}. */
    public void kill() {
        this.members.forEach(EtcdMember::kill);
    }

    /** Starts stopped or killed members again with their data and ports, and waits until all serve. */
    public void restart() {
        this.members.forEach(EtcdMember::stop);
        startAll();
    }

    /**
     * Replaces the cluster with a new, empty one on the same ports (a new cluster id): what clients see when etcd
     * is rebuilt from scratch behind their backs.
     */
    public void wipe() {
        resetData();
        startAll();
    }

    /** Kills every member and gives each an empty data directory and the cluster a new token. */
    private void resetData() {
        kill();
        this.clusterToken = newToken();
        try {
            for (EtcdMember member : this.members) {
                Path old = member.dataDir();
                member.replaceDataDir(Files.createTempDirectory("etcd-" + member.name() + "-"));
                deleteRecursively(old);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not replace etcd data directories", ex);
        }
    }

    /** Stops every member and deletes their data. Log files stay under {@code target/etcd-logs}. */
    @Override
    public void close() {
        kill();
        this.members.forEach((member) -> deleteRecursively(member.dataDir()));
    }

    /**
     * Runs {@code etcdctl} (API v3) against this cluster, with its TLS material when it has some, and returns its
     * standard output, e.g. {@code etcdctl("user", "add", "root:secret")}.
     * @throws IllegalStateException when etcdctl exits with an error, with its output
     */
    public String etcdctl(String... args) {
        return Etcdctl.run(endpointList(), this.certificates, this.clientCertAuth, args);
    }

    /**
     * Starts {@code etcdctl} (API v3) against this cluster without waiting for it to end, for a command that runs
     * until stopped, e.g. {@code etcdctlInBackground("lease", "keep-alive", id)}; end it with
     * {@link Process#destroy()}. Its output is discarded.
     */
    public Process etcdctlInBackground(String... args) {
        return Etcdctl.start(endpointList(), this.certificates, this.clientCertAuth, args);
    }

    /** The TLS material of this cluster, when it was started with {@link EtcdClusterBuilder#tls(EtcdCertificates)}. */
    public Optional<EtcdCertificates> certificates() {
        return Optional.ofNullable(this.certificates);
    }

    /** A sentence naming every member's log file, for failure messages. */
    public String logHint() {
        return this.members.stream().map(EtcdMember::logHint).collect(Collectors.joining("; "));
    }

    /**
     * First start: ports are picked free before etcd binds them, so another process can take one in between; then
     * the members start again on new ports (a fresh cluster, since nothing was written yet).
     */
    EtcdCluster startAllOnFreePorts() {
        for (int attempt = 1;; attempt++) {
            try {
                return startAll();
            }
            catch (IllegalStateException ex) {
                if (attempt == 3 || this.members.stream().noneMatch(EtcdMember::lostPortRace)) {
                    throw ex;
                }
                resetData();
                this.members.forEach(EtcdMember::repickPorts);
            }
        }
    }

    EtcdCluster startAll() {
        this.members.forEach(EtcdMember::start);
        for (EtcdMember member : this.members) {
            member.awaitReady(this.startTimeout);
        }
        return this;
    }

    String initialCluster() {
        return this.members.stream().map((m) -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    }

    String clusterToken() {
        return this.clusterToken;
    }

    List<String> extraArgs() {
        return this.extraArgs;
    }

    String clientScheme() {
        return this.clientScheme;
    }

    Duration startTimeout() {
        return this.startTimeout;
    }

    HttpClient probe() {
        return this.probe;
    }

    private static String newToken() {
        return "etcd-test-" + UUID.randomUUID();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not delete " + dir, ex);
        }
    }

    @Override
    public String toString() {
        return "EtcdCluster" + this.members;
    }
}
