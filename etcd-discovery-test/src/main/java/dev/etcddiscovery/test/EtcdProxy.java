package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.etcd.jetcd.ClientBuilder;

/**
 * A loopback TCP proxy in front of one etcd member, for tests of what the network can do between an application
 * and etcd. Give the application {@link #endpoint()} instead of the member's; the bytes pass unchanged (TLS
 * included), and a connection etcd closes or refuses is closed on the application's side too. Two faults:
 * <ul>
 * <li>{@link #partition()} until {@link #heal()}: open connections are cut and new ones are dropped, so calls
 * fail at once (gRPC {@code UNAVAILABLE});</li>
 * <li>{@link #freeze()} or {@link #freezeResponses()} until {@link #thaw()}: a black hole. Connections stay
 * open but nothing passes, not even a close, so calls and watches go silent without failing, which is how
 * jetcd watches die unnoticed. What arrives meanwhile is held back ({@link #isHolding(String)}) and delivered
 * in order on thaw.</li>
 * </ul>
 * And one thing an HTTP/2-aware proxy (not etcd) does: {@link #endCallsWithOk(String)} ends open calls with an OK
 * status that etcd never sent (plaintext etcd only).
 * <pre>{@code
 * try (EtcdProxy proxy = EtcdProxy.inFrontOf(etcd.endpoint())) {
 *     Client client = proxy.clientBuilder().build();
 *     proxy.freeze();
 *     ...
 * }
 * }</pre>
 */
public final class EtcdProxy implements AutoCloseable {

    private final URI target;

    /** The cluster of the member behind this proxy, for its TLS material; null when started from a URL. */
    private final EtcdCluster cluster;

    private final ServerSocket server;

    private final ExecutorService threads;

    private final List<ProxyPipe> pipes = new CopyOnWriteArrayList<>();

    private final ProxyGate gate = new ProxyGate();

    private EtcdProxy(String etcdEndpoint, EtcdCluster cluster) throws IOException {
        this.target = URI.create(etcdEndpoint);
        this.cluster = cluster;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads = Executors.newCachedThreadPool((runnable) -> {
            Thread thread = new Thread(runnable, "etcd-proxy-" + this.server.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
        this.threads.execute(this::accept);
    }

    /** Starts a proxy in front of {@code member}; it follows the member across restarts (same port). */
    public static EtcdProxy inFrontOf(EtcdMember member) {
        return start(member.endpoint(), member.cluster());
    }

    /** Starts a proxy in front of the etcd at {@code etcdEndpoint}, e.g. {@code http://127.0.0.1:2379}. */
    public static EtcdProxy inFrontOf(String etcdEndpoint) {
        return start(etcdEndpoint, null);
    }

    private static EtcdProxy start(String etcdEndpoint, EtcdCluster cluster) {
        try {
            return new EtcdProxy(etcdEndpoint, cluster);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open a loopback port for a proxy to " + etcdEndpoint, ex);
        }
    }

    /** The URL applications use instead of etcd's, with etcd's scheme. */
    public String endpoint() {
        return this.target.getScheme() + "://127.0.0.1:" + this.server.getLocalPort();
    }

    /**
     * A jetcd client builder for {@link #endpoint()}; with the cluster's TLS material when the proxy was started in
     * front of a member ({@link #inFrontOf(EtcdMember)}), without any otherwise. The caller closes the client.
     */
    public ClientBuilder clientBuilder() {
        List<String> endpoints = List.of(endpoint());
        return (this.cluster != null) ? this.cluster.clientBuilder(endpoints)
                : JetcdClients.builder(endpoints, null, false);
    }

    /** Cuts every open connection and drops new ones until {@link #heal()}. */
    public void partition() {
        synchronized (this.gate) {
            this.gate.partitioned = true;
            for (ProxyPipe pipe : this.pipes) {
                pipe.close();
            }
        }
    }

    /** Accepts and forwards new connections again after {@link #partition()}. */
    public void heal() {
        synchronized (this.gate) {
            this.gate.partitioned = false;
        }
    }

    /** Holds back traffic in both directions until {@link #thaw()}. */
    public void freeze() {
        synchronized (this.gate) {
            this.gate.requestsFrozen = true;
            this.gate.responsesFrozen = true;
        }
    }

    /** Lets requests reach etcd but holds back its answers until {@link #thaw()}. */
    public void freezeResponses() {
        synchronized (this.gate) {
            this.gate.responsesFrozen = true;
        }
    }

    /** Whether bytes held back by a freeze, in either direction, contain {@code text} (UTF-8). */
    public boolean isHolding(String text) {
        // ISO-8859-1 maps each byte to one char, so a byte search becomes a string search
        String bytes = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        synchronized (this.gate) {
            return this.pipes.stream().anyMatch((pipe) -> pipe.isHolding(bytes));
        }
    }

    /** Delivers what a freeze held back, in order, and forwards everything again. */
    public void thaw() {
        synchronized (this.gate) {
            this.gate.requestsFrozen = false;
            this.gate.responsesFrozen = false;
            for (ProxyPipe pipe : this.pipes) {
                pipe.flushHeld();
            }
            this.gate.notifyAll();
        }
    }

    /**
     * Ends every open gRPC call whose request data contains {@code requestText} (UTF-8), e.g. the watch of a key, as
     * an HTTP/2 proxy may: the application receives trailers with {@code grpc-status: 0} (OK), while etcd keeps the
     * call open and its later frames on it are dropped.
     * @return how many calls were ended
     * @throws IllegalStateException when etcd is served over TLS (the proxy cannot read the frames)
     */
    public int endCallsWithOk(String requestText) {
        if (!"http".equals(this.target.getScheme())) {
            throw new IllegalStateException("endCallsWithOk needs a plaintext etcd, not " + this.target);
        }
        int ended = 0;
        for (ProxyPipe pipe : this.pipes) {
            if (pipe.response()) {
                ended += pipe.endCallsCarrying(requestText);
            }
        }
        return ended;
    }

    /** Stops the proxy and closes every connection through it. */
    @Override
    public void close() {
        thaw();
        closeQuietly(this.server);
        this.pipes.forEach(ProxyPipe::close);
        this.threads.shutdownNow();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket application = this.server.accept();
                Socket etcd = connectToEtcd();
                synchronized (this.gate) {
                    if (etcd == null || this.gate.partitioned) {
                        closeQuietly(application);
                        closeQuietly(etcd);
                    }
                    else {
                        Http2Calls calls = "http".equals(this.target.getScheme()) ? new Http2Calls() : null;
                        start(new ProxyPipe(application, etcd, false, calls, this.gate, this.pipes::remove));
                        start(new ProxyPipe(etcd, application, true, calls, this.gate, this.pipes::remove));
                    }
                }
            }
            catch (IOException ex) {
                // the proxy was closed: the loop ends
            }
        }
    }

    private Socket connectToEtcd() {
        try {
            return new Socket(this.target.getHost(), this.target.getPort());
        }
        catch (IOException ex) {
            // etcd is down: the application sees its connection closed, as it would see it refused without us
            return null;
        }
    }

    private void start(ProxyPipe pipe) {
        this.pipes.add(pipe);
        this.threads.execute(pipe::pump);
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        }
        catch (Exception ex) {
            // already closed
        }
    }
}
