package dev.etcddiscovery.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** One direction of one connection through an {@link EtcdProxy}. */
final class ProxyPipe {

    private final Socket from;

    private final Socket to;

    private final boolean response;

    private final ProxyGate gate;

    private final ByteArrayOutputStream held = new ByteArrayOutputStream();

    /** The calls of this connection, when its frames can be read; null over TLS. */
    private final Http2Calls calls;

    /** Held while forwarding, so that trailers of {@link #endCallsCarrying(String)} land between whole frames. */
    private final Object forwarding = new Object();

    private final Consumer<ProxyPipe> onEnd;

    /**
     * @param response whether this pipe carries etcd's answers to the application
     * @param onEnd told once the pipe has closed both sockets
     */
    ProxyPipe(Socket from, Socket to, boolean response, Http2Calls calls, ProxyGate gate,
            Consumer<ProxyPipe> onEnd) {
        this.from = from;
        this.to = to;
        this.response = response;
        this.calls = calls;
        this.gate = gate;
        this.onEnd = onEnd;
    }

    boolean response() {
        return this.response;
    }

    /** Whether bytes held back by a freeze contain {@code bytes} (ISO-8859-1, one char a byte); gate held. */
    boolean isHolding(String bytes) {
        return this.held.toString(StandardCharsets.ISO_8859_1).contains(bytes);
    }

    /** Writes OK trailers for every call of this connection whose request data contains {@code text}. */
    int endCallsCarrying(String text) {
        if (this.calls == null) {
            return 0;
        }
        synchronized (this.forwarding) {
            byte[] trailers = this.calls.endCallsCarrying(text);
            write(trailers, trailers.length);
            return Http2Calls.frameCount(trailers);
        }
    }

    void pump() {
        byte[] buffer = new byte[16384];
        try {
            InputStream in = this.from.getInputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                synchronized (this.forwarding) {
                    forward(buffer, read);
                }
            }
        }
        catch (IOException ex) {
            // one side went away or was cut: the other side is closed below
        }
        // a close is traffic too: while frozen it is held back like the bytes before it
        synchronized (this.gate) {
            this.gate.awaitThawed(this.response);
        }
        close();
        this.onEnd.accept(this);
    }

    private void forward(byte[] buffer, int read) {
        byte[] bytes = buffer;
        int length = read;
        if (this.calls != null && this.response) {
            bytes = this.calls.response(buffer, read);
            length = bytes.length;
        }
        else if (this.calls != null) {
            this.calls.request(buffer, read);
        }
        boolean forward;
        synchronized (this.gate) {
            forward = !this.gate.frozen(this.response);
            if (!forward) {
                this.held.write(bytes, 0, length);
            }
        }
        if (forward && length > 0) {
            write(bytes, length);
        }
    }

    /** Delivers what a freeze held back; gate held. */
    void flushHeld() {
        byte[] bytes = this.held.toByteArray();
        this.held.reset();
        if (bytes.length > 0) {
            write(bytes, bytes.length);
        }
    }

    private void write(byte[] bytes, int length) {
        try {
            this.to.getOutputStream().write(bytes, 0, length);
            this.to.getOutputStream().flush();
        }
        catch (IOException ex) {
            close();
        }
    }

    void close() {
        EtcdProxy.closeQuietly(this.from);
        EtcdProxy.closeQuietly(this.to);
    }
}
