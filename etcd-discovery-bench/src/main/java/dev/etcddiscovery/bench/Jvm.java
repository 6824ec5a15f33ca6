package dev.etcddiscovery.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** What this JVM holds: heap after full GCs, live threads, TCP connections to a port. */
final class Jvm {

    private Jvm() {
    }

    /**
     * Heap in use after {@link System#gc()} (a full collection with G1, the default) until two readings agree
     * within 64 KiB: what is still reachable, not what was allocated.
     */
    static long retainedHeap() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Established TCP connections of this process to {@code port} on loopback, from /proc (Linux). */
    static int connectionsTo(int port) {
        Set<String> inodes = socketInodes();
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : lines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10 || !fields[1].contains(":")) {
                    continue;
                }
                String remote = fields[2];
                int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                boolean established = "01".equals(fields[3]);
                if (established && remotePort == port && inodes.contains(fields[9])) {
                    count++;
                }
            }
        }
        return count;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach((fd) -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                }
                catch (IOException ex) {
                    // the descriptor was closed while listing: not a connection to count
                }
            });
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot list /proc/self/fd (Linux only)", ex);
        }
        return inodes;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        }
        catch (IOException ex) {
            return List.of();
        }
    }
}
