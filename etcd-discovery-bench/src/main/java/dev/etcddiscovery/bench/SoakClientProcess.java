package dev.etcddiscovery.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import dev.etcddiscovery.bench.soakclient.SoakCalls;
import dev.etcddiscovery.bench.soakclient.SoakClientApp;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.FreePorts;

/**
 * The soak benchmark's client: {@link SoakClientApp} in a JVM of its own (output in {@code target/bench-logs}),
 * with JMX on a loopback port, through which the bench reads its heap, threads and calls.
 */
final class SoakClientProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;

    private final int jmxPort;

    private JMXConnector connector;

    private MBeanServerConnection mbeans;

    private SoakClientProcess(Process process, int jmxPort) {
        this.process = process;
        this.jmxPort = jmxPort;
    }

    /** Starts the client and waits until every one of its channels has had a call answered. */
    static SoakClientProcess start(EtcdCluster etcd, List<String> services, int channelsPerService, boolean quick) {
        int jmxPort = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1", "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false"));
        if (quick) {
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakClientApp.class.getName(),
                "--spring.main.banner-mode=off", "--etcd.discovery.endpoints=" + etcd.endpointList(),
                "--grpc.server.port=-1", "--grpc.client.GLOBAL.negotiation-type=plaintext",
                "--soak.services=" + String.join(",", services), "--soak.channels-per-service=" + channelsPerService));
        for (String service : services) {
            for (int i = 0; i < channelsPerService; i++) {
                command.add("--grpc.client." + SoakClientApp.channelName(service, i) + ".address=etcd:///" + service);
            }
        }
        SoakClientProcess client;
        try {
            Path logs = Files.createDirectories(Path.of("target", "bench-logs"));
            client = new SoakClientProcess(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("soak-client.log").toFile())
                .start(), jmxPort);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the soak client " + command, ex);
        }
        try {
            client.connect();
            client.awaitChannelsAnswered(services.size() * channelsPerService);
            return client;
        }
        catch (RuntimeException ex) {
            client.close();
            throw ex;
        }
    }

    /** Heap and threads of the client now (the heap also after a full collection), and its calls so far. */
    Sample sample() {
        try {
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(this.mbeans,
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(this.mbeans,
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            long used = memory.getHeapMemoryUsage().getUsed();
            memory.gc();
            long afterGc = memory.getHeapMemoryUsage().getUsed();
            ObjectName calls = new ObjectName(SoakCalls.OBJECT_NAME);
            return new Sample(used, afterGc, threads.getThreadCount(),
                    (Long) this.mbeans.getAttribute(calls, "Succeeded"),
                    (Long) this.mbeans.getAttribute(calls, "Failed"));
        }
        catch (IOException | JMException ex) {
            throw new IllegalStateException("Could not read the soak client over JMX (port " + this.jmxPort
                    + "); see target/bench-logs/soak-client.log", ex);
        }
    }

    @Override
    public void close() {
        if (this.connector != null) {
            try {
                this.connector.close();
            }
            catch (IOException ex) {
                // the client is stopped next anyway
            }
        }
        this.process.destroy();
        try {
            if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.process.destroyForcibly();
        }
    }

    private void connect() {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + this.jmxPort + "/jmxrmi");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            assertAlive();
            try {
                this.connector = JMXConnectorFactory.connect(url);
                this.mbeans = this.connector.getMBeanServerConnection();
                return;
            }
            catch (IOException ex) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The soak client's JMX port " + this.jmxPort + " did not answer "
                            + "within " + START_TIMEOUT + "; see target/bench-logs/soak-client.log", ex);
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
    }

    private void awaitChannelsAnswered(int channels) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int answered = 0;
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                answered = (Integer) this.mbeans.getAttribute(new ObjectName(SoakCalls.OBJECT_NAME),
                        "ChannelsAnswered");
                if (answered == channels) {
                    return;
                }
            }
            catch (JMException ex) {
                // the application has not registered its calls yet
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new IllegalStateException("Only " + answered + " of the soak client's " + channels + " channels had a "
                + "call answered within " + START_TIMEOUT + "; see target/bench-logs/soak-client.log");
    }

    private void assertAlive() {
        if (!this.process.isAlive()) {
            throw new IllegalStateException("The soak client exited with " + this.process.exitValue()
                    + "; see target/bench-logs/soak-client.log");
        }
    }

    /**
     * One reading of the client.
     *
     * @param heapUsed heap in use, garbage included
     * @param heapAfterGc heap in use right after a full collection: what the client really holds
     * @param threads live threads
     * @param succeeded calls answered since the client started
     * @param failed calls failed since the client started
     */
    record Sample(long heapUsed, long heapAfterGc, int threads, long succeeded, long failed) {
    }
}
