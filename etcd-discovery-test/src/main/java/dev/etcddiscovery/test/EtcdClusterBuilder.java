package dev.etcddiscovery.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Options for an {@link EtcdCluster}: {@code EtcdCluster.builder().members(3).args(...).start()}. */
public final class EtcdClusterBuilder {

    int members = 1;

    private final List<String> extraArgs = new ArrayList<>();

    String clientScheme = "http";

    Duration startTimeout = Duration.ofSeconds(30);

    EtcdCertificates certificates;

    boolean clientCertAuth;

    EtcdClusterBuilder() {
    }

    /** Number of members (1 by default; use an odd number such as 3 for failover tests). */
    public EtcdClusterBuilder members(int members) {
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1, was " + members);
        }
        this.members = members;
        return this;
    }

    /** Extra flags passed to every member, e.g. {@code --auto-compaction-retention=1}. */
    public EtcdClusterBuilder args(String... args) {
        this.extraArgs.addAll(List.of(args));
        return this;
    }

    /** {@code https} when the extra flags configure client TLS. */
    public EtcdClusterBuilder clientScheme(String clientScheme) {
        this.clientScheme = clientScheme;
        return this;
    }

    /**
     * Serves clients over TLS with the server certificate of {@code certificates} (https client URLs); the
     * readiness probe and {@link EtcdCluster#etcdctl(String...)} trust its CA.
     */
    public EtcdClusterBuilder tls(EtcdCertificates certificates) {
        this.certificates = certificates;
        return this;
    }

    /**
     * Requires clients to present a certificate signed by the CA of {@link #tls(EtcdCertificates)}
     * ({@code --client-cert-auth --trusted-ca-file}); the probe and etcdctl present the client certificate.
     */
    public EtcdClusterBuilder clientCertAuth() {
        this.clientCertAuth = true;
        return this;
    }

    /** How long to wait for members to become healthy (30 s by default). */
    public EtcdClusterBuilder startTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
        return this;
    }

    /** The extra flags with those of TLS. */
    List<String> tlsArgs() {
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
