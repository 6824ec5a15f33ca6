package dev.etcddiscovery.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * Benchmark 6: how long a dead server stays in etcd. A server JVM killed with SIGKILL leaves its key until its lease
 * expires; one stopped with SIGTERM deregisters itself, which should happen before its port closes.
 */
final class RemovalBench {

    private static final String TTL = "2s";

    private static final long TTL_NANOS = Duration.ofSeconds(2).toNanos();

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private RemovalBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        Samples killToGone = new Samples();
        Samples termToGone = new Samples();
        Samples termToPortClosed = new Samples();
        Samples goneBeforeClosed = new Samples();
        Samples startToRegistered = new Samples();
        for (int round = 0; round < settings.removalRounds(); round++) {
            String killed = "removal-kill-" + round;
            String stopped = "removal-term-" + round;
            try (FloorWatch killedWatch = new FloorWatch(etcd, killed + "/");
                    FloorWatch stoppedWatch = new FloorWatch(etcd, stopped + "/")) {
                Expectation<WatchEvent> killedUp = killedWatch.expect(RemovalBench::isPut);
                Expectation<WatchEvent> stoppedUp = stoppedWatch.expect(RemovalBench::isPut);
                long start = System.nanoTime();
                // both JVMs start at once to save time; they are measured one after the other once idle
                try (ServerProcess victim = ServerProcess.start(etcd, killed, TTL, settings.shortcuts());
                        ServerProcess graceful = ServerProcess.start(etcd, stopped, TTL, settings.shortcuts())) {
                    long killedAt = killedUp.await(STARTUP_TIMEOUT, killed + " to register");
                    long stoppedAt = stoppedUp.await(STARTUP_TIMEOUT, stopped + " to register");
                    startToRegistered.add(killedAt - start);
                    startToRegistered.add(stoppedAt - start);

                    String killedKey = FloorWatch.key(killedUp.value());
                    Expectation<WatchEvent> killedGone = killedWatch
                        .expect((event) -> FloorWatch.isDeleteOf(event, killedKey));
                    long kill = System.nanoTime();
                    victim.kill();
                    killToGone.add(killedGone.await(Duration.ofSeconds(30), killedKey + " to expire") - kill);

                    String stoppedKey = FloorWatch.key(stoppedUp.value());
                    Expectation<WatchEvent> stoppedGone = stoppedWatch
                        .expect((event) -> FloorWatch.isDeleteOf(event, stoppedKey));
                    PortProbe probe = new PortProbe(port(stoppedKey));
                    long term = System.nanoTime();
                    graceful.terminate();
                    long goneAt = stoppedGone.await(Duration.ofSeconds(30), stoppedKey + " to be deregistered");
                    long closedAt = probe.awaitClosed();
                    termToGone.add(goneAt - term);
                    termToPortClosed.add(closedAt - term);
                    goneBeforeClosed.add(closedAt - goneAt);
                    graceful.awaitExit();
                }
            }
        }
        report.section("6. Removal of a server");
        report.note("Server JVMs: " + ServerProcess.describe() + ", `--etcd.discovery.registration.ttl=" + TTL
                + "`, gRPC on 127.0.0.1:0; " + settings.removalRounds() + " rounds of one SIGKILL and one SIGTERM. "
                + "The key's removal is seen by a raw jetcd watch; the port is probed with TCP connects every "
                + "~0.2 ms until refused.");
        report.table(Report.latencyHeaders("what"))
            .row(Report.latencyRow("SIGKILL → key gone", killToGone))
            .row(Report.latencyRow("SIGKILL → key gone, minus the TTL", killToGone.minus(TTL_NANOS)))
            .row(Report.latencyRow("SIGTERM → key gone", termToGone))
            .row(Report.latencyRow("SIGTERM → gRPC port closed", termToPortClosed))
            .row(Report.latencyRow("key gone ahead of the port closing", goneBeforeClosed))
            .row(Report.latencyRow("JVM start → registered (two JVMs starting at once)", startToRegistered))
            .end();
        report.note("After SIGKILL the key lives as long as its lease had left (up to the TTL: the last keep-alive "
                + "renewed it) plus the wait for etcd's expiry check, which the leader runs every 500 ms. "
                + "A client that re-lists every 5 s instead of watching keeps a dead server ~2.5 s longer on average "
                + "on top of this.");
    }

    private static boolean isPut(WatchEvent event) {
        return event.getEventType() == WatchEvent.EventType.PUT;
    }

    private static int port(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf(':') + 1));
    }

    /** Connects to a port again and again, on its own thread, until the connection is refused. */
    private static final class PortProbe {

        private final Expectation<Boolean> closed = Expectation.any();

        PortProbe(int port) {
            Thread thread = new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    }
                    catch (ConnectException ex) {
                        this.closed.offer(true, System.nanoTime());
                        return;
                    }
                    catch (IOException ex) {
                        // a timeout or reset while the server shuts down: the port may still be open, try again
                    }
                    LockSupport.parkNanos(200_000);
                }
            }, "bench-port-probe-" + port);
            thread.setDaemon(true);
            thread.start();
        }

        long awaitClosed() {
            return this.closed.await(Duration.ofSeconds(35), "the gRPC port to close");
        }
    }
}
