package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks TCP ports that are free on the loopback interface at the time of the call. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port that nothing listens on at 127.0.0.1 right now. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not find a free loopback port", ex);
        }
    }
}
