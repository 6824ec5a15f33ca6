package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
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

    private EtcdCluster(Builder builder) {
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
    public static Builder builder() {
        return new Builder();
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
        return JetcdClients.builder(endpoints(), this.certificates, this.clientCertAuth);
    }

    /** A jetcd client for every member; the caller closes it. */
    public Client client() {
        return clientBuilder().build();
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
        List<String> command = new ArrayList<>(List.of(EtcdBinary.locateEtcdctl().toString(),
                "--endpoints=" + endpointList(), "--dial-timeout=5s", "--command-timeout=10s"));
        if (this.certificates != null) {
            command.add("--cacert=" + this.certificates.caCertificate());
            if (this.clientCertAuth) {
                command.add("--cert=" + this.certificates.clientCertificate());
                command.add("--key=" + this.certificates.clientKey());
            }
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf((key) -> key.startsWith("ETCD"));
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not run " + command.get(0), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running etcdctl", ex);
        }
    }

    /** The TLS material of this cluster, when it was started with {@link Builder#tls(EtcdCertificates)}. */
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
    private EtcdCluster startAllOnFreePorts() {
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

    /** Options for an {@link EtcdCluster}. */
    public static final class Builder {

        private int members = 1;

        private final List<String> extraArgs = new ArrayList<>();

        private String clientScheme = "http";

        private Duration startTimeout = Duration.ofSeconds(30);

        private EtcdCertificates certificates;

        private boolean clientCertAuth;

        private Builder() {
        }

        /** Number of members (1 by default; use an odd number such as 3 for failover tests). */
        public Builder members(int members) {
            if (members < 1) {
                throw new IllegalArgumentException("members must be at least 1, was " + members);
            }
            this.members = members;
            return this;
        }

        /** Extra flags passed to every member, e.g. {@code --auto-compaction-retention=1}. */
        public Builder args(String... args) {
            this.extraArgs.addAll(List.of(args));
            return this;
        }

        /** {@code https} when the extra flags configure client TLS. */
        public Builder clientScheme(String clientScheme) {
            this.clientScheme = clientScheme;
            return this;
        }

        /**
         * Serves clients over TLS with the server certificate of {@code certificates} (https client URLs); the
         * readiness probe and {@link EtcdCluster#etcdctl(String...)} trust its CA.
         */
        public Builder tls(EtcdCertificates certificates) {
            this.certificates = certificates;
            return this;
        }

        /**
         * Requires clients to present a certificate signed by the CA of {@link #tls(EtcdCertificates)}
         * ({@code --client-cert-auth --trusted-ca-file}); the probe and etcdctl present the client certificate.
         */
        public Builder clientCertAuth() {
            this.clientCertAuth = true;
            return this;
        }

        /** How long to wait for members to become healthy (30 s by default). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        private List<String> tlsArgs() {
            List<String> args = new ArrayList<>(this.extraArgs);
            if (this.clientCertAuth && this.certificates == null) {
                throw new IllegalStateException("clientCertAuth() needs tls(certificates) for the CA to trust");
            }
            if (this.certificates != null) {
                args.addAll(List.of("--cert-file", this.certificates.serverCertificate().toString(), "--key-file",
                        this.certificates.serverKey().toString()));
            }
            if (this.clientCertAuth) {
                args.addAll(List.of("--client-cert-auth", "--trusted-ca-file",
                        this.certificates.caCertificate().toString()));
            }
            return args;
        }

        /** Starts the members and waits until every one is healthy. */
        public EtcdCluster start() {
            EtcdCluster cluster = new EtcdCluster(this);
            try {
                return cluster.startAllOnFreePorts();
            }
            catch (RuntimeException ex) {
                cluster.close();
                throw ex;
            }
        }
    }
}
