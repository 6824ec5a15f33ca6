package dev.etcddiscovery.sample.failure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.etcddiscovery.sample.SampleProcess;
import dev.etcddiscovery.test.FreePorts;

/**
 * Greeter servers, each a separate JVM on its own loopback port, registering with a short TTL. Each is known by the
 * address it registers, {@code 127.0.0.1:<port>}.
 */
final class GreeterServers implements AutoCloseable {

    /** Lease TTL of every server: short, so that lease expiry happens within a test. */
    static final int TTL_SECONDS = 3;

    private final Map<String, SampleProcess> running = new LinkedHashMap<>();

    /** The argument that sets a server's lease TTL to {@link #TTL_SECONDS}. */
    static final String TTL_ARG = "--etcd.discovery.registration.ttl=" + TTL_SECONDS + "s";

    /** Starts one server per entry of {@code etcdEndpoints} (all at once) and returns their addresses. */
    List<String> start(String... etcdEndpoints) throws IOException {
        List<String> started = new ArrayList<>();
        for (String endpoints : etcdEndpoints) {
            started.add(startOne(endpoints));
        }
        return started;
    }

    /** Starts one server with more arguments (e.g. its web port) and returns its address. */
    String startOne(String etcdEndpoints, String... extraArgs) throws IOException {
        int port = FreePorts.next();
        String instance = "127.0.0.1:" + port;
        List<String> args = new ArrayList<>(List.of(TTL_ARG));
        args.addAll(List.of(extraArgs));
        this.running.put(instance, SampleProcess.server(etcdEndpoints, port, args.toArray(String[]::new)));
        return instance;
    }

    /** SIGTERM to one server, waiting until it has exited. */
    void stop(String instance) throws InterruptedException {
        SampleProcess server = this.running.remove(instance);
        server.stop();
    }

    Set<String> instances() {
        return Set.copyOf(this.running.keySet());
    }

    /** Output files of the servers, for failure messages. */
    String outputFiles() {
        return this.running.values().stream().map((server) -> server.outputFile().toString()).toList().toString();
    }

    /** SIGTERM to every server at once, then SIGKILL to those that did not exit. */
    @Override
    public void close() throws InterruptedException {
        this.running.values().forEach(SampleProcess::terminate);
        try {
            for (SampleProcess server : this.running.values()) {
                server.awaitExit(60);
            }
        }
        finally {
            this.running.values().forEach(SampleProcess::close);
            this.running.clear();
        }
    }
}
