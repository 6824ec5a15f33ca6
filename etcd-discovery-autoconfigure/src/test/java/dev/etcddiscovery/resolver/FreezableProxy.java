package dev.etcddiscovery.resolver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy in front of etcd that can be frozen: while frozen it forwards nothing in the frozen
 * direction, not even a closed connection, so the client's streams go silent without failing (a network black
 * hole). What arrives meanwhile is held back, can be inspected, and is delivered in order on {@link #thaw()}.
 */
final class FreezableProxy implements AutoCloseable {

    private final URI target;

    private final ServerSocket server;

    private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "freezable-proxy");
        thread.setDaemon(true);
        return thread;
    });

    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    private final Object gate = new Object();

    private boolean requestsFrozen;

    private boolean responsesFrozen;

    FreezableProxy(String etcdEndpoint) throws IOException {
        this.target = URI.create(etcdEndpoint);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads.execute(this::accept);
    }

    String endpoint() {
        return "http://127.0.0.1:" + this.server.getLocalPort();
    }

    /** Holds back traffic in both directions. */
    void freeze() {
        synchronized (this.gate) {
            this.requestsFrozen = true;
            this.responsesFrozen = true;
        }
    }

    /** Lets requests reach etcd but holds back its answers. */
    void freezeResponses() {
        synchronized (this.gate) {
            this.responsesFrozen = true;
        }
    }

    /** Whether an answer of etcd that contains {@code text} is being held back. */
    boolean holdsResponseContaining(String text) {
        synchronized (this.gate) {
            return this.pipes.stream()
                .filter((pipe) -> pipe.response)
                .anyMatch((pipe) -> pipe.held.toString(StandardCharsets.ISO_8859_1)
                    .contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
        }
    }

    /** Delivers what was held back and forwards everything again. */
    void thaw() throws IOException {
        synchronized (this.gate) {
            this.requestsFrozen = false;
            this.responsesFrozen = false;
            for (Pipe pipe : this.pipes) {
                pipe.flushHeld();
            }
            this.gate.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        thaw();
        this.server.close();
        for (Pipe pipe : this.pipes) {
            closeQuietly(pipe.from);
            closeQuietly(pipe.to);
        }
        this.threads.shutdownNow();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                Socket upstream = new Socket(this.target.getHost(), this.target.getPort());
                start(new Pipe(client, upstream, false));
                start(new Pipe(upstream, client, true));
            }
            catch (IOException ex) {
                // the proxy was closed, or etcd refused the connection: the client sees its connection close
            }
        }
    }

    private void start(Pipe pipe) {
        this.pipes.add(pipe);
        this.threads.execute(pipe::pump);
    }

    private boolean frozen(Pipe pipe) {
        return pipe.response ? this.responsesFrozen : this.requestsFrozen;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // already closed
        }
    }

    /** One direction of one connection. */
    private final class Pipe {

        private final Socket from;

        private final Socket to;

        private final boolean response;

        private final ByteArrayOutputStream held = new ByteArrayOutputStream();

        Pipe(Socket from, Socket to, boolean response) {
            this.from = from;
            this.to = to;
            this.response = response;
        }

        void pump() {
            byte[] buffer = new byte[16384];
            try {
                InputStream in = this.from.getInputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (FreezableProxy.this.gate) {
                        if (frozen(this)) {
                            this.held.write(buffer, 0, read);
                        }
                        else {
                            write(buffer, read);
                        }
                    }
                }
            }
            catch (IOException ex) {
                // one side went away: closing both below tells the other side, once thawed
            }
            try {
                synchronized (FreezableProxy.this.gate) {
                    while (frozen(this)) {
                        FreezableProxy.this.gate.wait();
                    }
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(this.from);
            closeQuietly(this.to);
        }

        void flushHeld() {
            byte[] bytes = this.held.toByteArray();
            this.held.reset();
            write(bytes, bytes.length);
        }

        private void write(byte[] bytes, int length) {
            try {
                OutputStream out = this.to.getOutputStream();
                out.write(bytes, 0, length);
                out.flush();
            }
            catch (IOException ex) {
                closeQuietly(this.from);
            }
        }
    }
}
