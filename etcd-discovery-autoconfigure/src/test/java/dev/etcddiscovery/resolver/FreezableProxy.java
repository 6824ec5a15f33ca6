package dev.etcddiscovery.resolver;

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
 * A loopback TCP proxy in front of etcd that can be frozen: while frozen it forwards nothing, not even a closed
 * connection, so the client's streams go silent without failing (a network black hole). Thawing lets everything
 * that was held back through.
 */
final class FreezableProxy implements AutoCloseable {

    private final URI target;

    private final ServerSocket server;

    private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "freezable-proxy");
        thread.setDaemon(true);
        return thread;
    });

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private final Object gate = new Object();

    private boolean frozen;

    FreezableProxy(String etcdEndpoint) throws IOException {
        this.target = URI.create(etcdEndpoint);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads.execute(this::accept);
    }

    String endpoint() {
        return "http://127.0.0.1:" + this.server.getLocalPort();
    }

    void freeze() {
        synchronized (this.gate) {
            this.frozen = true;
        }
    }

    void thaw() {
        synchronized (this.gate) {
            this.frozen = false;
            this.gate.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        thaw();
        this.server.close();
        for (Socket socket : this.sockets) {
            socket.close();
        }
        this.threads.shutdownNow();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                Socket upstream = new Socket(this.target.getHost(), this.target.getPort());
                this.sockets.add(client);
                this.sockets.add(upstream);
                this.threads.execute(() -> pump(client, upstream));
                this.threads.execute(() -> pump(upstream, client));
            }
            catch (IOException ex) {
                // the proxy was closed, or etcd refused the connection: the client sees its connection close
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = readQuietly(in, buffer)) >= 0) {
                awaitThawed();
                out.write(buffer, 0, read);
                out.flush();
            }
            awaitThawed();
        }
        catch (IOException | InterruptedException ex) {
            // one side went away: closing both below tells the other side
        }
        finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static int readQuietly(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        }
        catch (IOException ex) {
            return -1;
        }
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (this.gate) {
            while (this.frozen) {
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
