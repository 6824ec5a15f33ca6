package dev.etcddiscovery.sample.failure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy between one application and etcd. {@link #partition()} cuts it off like a network partition:
 * nothing passes either way and nothing is closed, so the application's streams go silent without failing; what
 * was sent meanwhile waits in the sockets and passes after {@link #heal()}. When etcd closes a connection, the
 * proxy closes the application's side too.
 */
final class PartitionProxy implements AutoCloseable {

    private final URI target;

    private final ServerSocket server;

    private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "partition-proxy");
        thread.setDaemon(true);
        return thread;
    });

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private final Object gate = new Object();

    private boolean partitioned;

    PartitionProxy(String etcdEndpoint) throws IOException {
        this.target = URI.create(etcdEndpoint);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads.execute(this::accept);
    }

    /** The URL the application uses instead of etcd's. */
    String endpoint() {
        return "http://127.0.0.1:" + this.server.getLocalPort();
    }

    void partition() {
        synchronized (this.gate) {
            this.partitioned = true;
        }
    }

    void heal() {
        synchronized (this.gate) {
            this.partitioned = false;
            this.gate.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        heal();
        this.server.close();
        this.sockets.forEach(PartitionProxy::closeQuietly);
        this.threads.shutdownNow();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket application = this.server.accept();
                awaitConnected();
                try {
                    Socket etcd = new Socket(this.target.getHost(), this.target.getPort());
                    this.sockets.add(application);
                    this.sockets.add(etcd);
                    this.threads.execute(() -> pump(application, etcd));
                    this.threads.execute(() -> pump(etcd, application));
                }
                catch (IOException ex) {
                    // etcd is down: the application sees its connection refused, as it would without the proxy
                    closeQuietly(application);
                }
            }
            catch (IOException | InterruptedException ex) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                awaitConnected();
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (IOException | InterruptedException ex) {
            // one side closed: close the other below
        }
        finally {
            closeQuietly(from);
            closeQuietly(to);
            this.sockets.removeAll(List.of(from, to));
        }
    }

    private void awaitConnected() throws InterruptedException {
        synchronized (this.gate) {
            while (this.partitioned) {
                this.gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // already closed
        }
    }
}
