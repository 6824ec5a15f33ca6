package dev.etcddiscovery.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks TCP ports that are free on the loopback interface at the time of the call, and that stay this JVM's.
 * <p>
 * Ports come from below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by
 * default), so that a port given back while etcd is stopped is not handed to an outgoing connection before the test
 * restarts etcd on it (seen: "bind: address already in use" on a restart after a 30 s outage). Each port is reserved
 * for this JVM by a lock file in the temporary directory, so that test JVMs running side by side never pick the same
 * one; the reservation ends with the JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 10000;

    private static final Path RESERVATIONS = Paths.get(System.getProperty("java.io.tmpdir"), "etcd-discovery-ports");

    private static final List<FileChannel> HELD = new ArrayList<>();

    private FreePorts() {
    }

    /** A port that nothing listens on at 127.0.0.1 right now and that no other caller, in any JVM, got. */
    public static synchronized int next() {
        int highest = ephemeralRangeStart() - 1;
        for (int attempt = 0; attempt < 200 && highest > LOWEST; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (reserve(port) && bindable(port)) {
                return port;
            }
        }
        return anyFreePort();
    }

    private static boolean reserve(int port) {
        try {
            Files.createDirectories(RESERVATIONS);
            FileChannel channel = FileChannel.open(RESERVATIONS.resolve(port + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return false;
            }
            HELD.add(channel);
            return true;
        }
        catch (OverlappingFileLockException ex) {
            return false;
        }
        catch (IOException ex) {
            // no shared temporary directory: the range below the ephemeral ports still avoids the common clash
            return true;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int ephemeralRangeStart() {
        // read as lines: /proc reports a size of 0, and a read sized by it returns only the first byte
        try (BufferedReader reader = Files.newBufferedReader(Paths.get("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        }
        catch (IOException | RuntimeException ex) {
            return 32768;
        }
    }

    private static int anyFreePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not find a free loopback port", ex);
        }
    }
}
