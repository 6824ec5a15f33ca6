package dev.etcddiscovery.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdGrpcProxy;
import dev.etcddiscovery.test.EtcdMetrics;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

/**
 * Benchmark 11: a fleet of clients, each with its own jetcd client and connection, following the same services,
 * straight to etcd and through one etcd gRPC proxy. What etcd holds for them (watch streams, watchers, resident
 * memory), what it serves while nothing changes (Range, Watch and Status calls), what each client costs this JVM, and
 * how long a put takes to reach every client's channel. Every run has an etcd of its own, so that its gauges,
 * counters and memory are the fleet's alone.
 */
final class FleetBench {

    private static final String PREFIX = "fleet-";

    private static final int BASE_PORT = 20_000;

    private static final int FIRST_MOVED_PORT = 40_000;

    private FleetBench() {
    }

    static void run(Settings settings, Report report) {
        Settings.Fleet fleet = settings.fleet();
        String loadAtStart = Machine.loadAverage();
        List<FleetRun> runs = new ArrayList<>();
        for (int size : fleet.clients()) {
            runs.add(runOnce(fleet, size, false));
            runs.add(runOnce(fleet, size, true));
        }
        report(report, fleet, runs, loadAtStart);
    }

    private static FleetRun runOnce(Settings.Fleet fleet, int size, boolean proxied) {
        List<String> services = new ArrayList<>();
        for (int s = 0; s < fleet.services(); s++) {
            services.add(PREFIX + s);
        }
        try (EtcdCluster etcd = EtcdCluster.start(); Client writer = etcd.client();
                EtcdGrpcProxy proxy = proxied ? etcd.grpcProxy() : null) {
            for (int s = 0; s < services.size(); s++) {
                String service = services.get(s);
                int base = BASE_PORT + s * 1_000;
                Etcd.putAll(writer, fleet.endpoints(), (i) -> key(service, i), (i) -> base + i);
            }
            long idleRss = etcdMetrics(etcd).value(FleetRun.RSS);
            int threadsBefore = Jvm.liveThreads();
            long filesBefore = openFiles();
            long heapBefore = Jvm.retainedHeap();
            Supplier<ClientBuilder> builders = proxied ? proxy::clientBuilder : etcd::clientBuilder;
            long start = System.nanoTime();
            try (FleetClients clients = FleetClients.start(builders, size, services, fleet.endpoints())) {
                long started = System.nanoTime();
                int threads = Jvm.liveThreads() - threadsBefore;
                long files = openFiles() - filesBefore;
                long heap = Jvm.retainedHeap() - heapBefore;
                // measuring windows, not waits for something: past every watch's first check (the last watches
                // were created as the start ended), then the calls etcd serves a settled fleet
                sleep(fleet.settle().minusNanos(System.nanoTime() - started));
                EtcdMetrics settled = etcdMetrics(etcd);
                long windowStart = System.nanoTime();
                sleep(fleet.steady());
                EtcdMetrics afterWindow = etcdMetrics(etcd);
                long window = System.nanoTime() - windowStart;
                long proxyRss = proxied ? residentMemory(proxy) : 0;
                Latencies latencies = puts(clients, writer, services, fleet);
                return new FleetRun(proxied, size, (started - start) / 1_000_000, afterWindow.watches(), idleRss,
                        afterWindow.value(FleetRun.RSS), proxyRss, window,
                        FleetRun.Calls.of(afterWindow).since(FleetRun.Calls.of(settled)), threads, files, heap,
                        latencies.lastClient(), latencies.everyClient());
            }
        }
    }

    /** The warm-up and measured puts, services taking turns, each moving one endpoint to a port not used before. */
    private static Latencies puts(FleetClients clients, Client writer, List<String> services, Settings.Fleet fleet) {
        Latencies latencies = new Latencies(new Samples(), new Samples());
        int port = FIRST_MOVED_PORT;
        for (int p = 0; p < fleet.warmupPuts() + fleet.puts(); p++) {
            int service = p % services.size();
            String key = key(services.get(service), (p / services.size()) % fleet.endpoints());
            long[] nanos = clients.put(writer, service, key, port++);
            if (p >= fleet.warmupPuts()) {
                long slowest = 0;
                for (long n : nanos) {
                    latencies.everyClient().add(n);
                    slowest = Math.max(slowest, n);
                }
                latencies.lastClient().add(slowest);
            }
        }
        return latencies;
    }

    private static EtcdMetrics etcdMetrics(EtcdCluster etcd) {
        return etcd.members().get(0).metrics();
    }

    private static String key(String service, int instance) {
        return service + "/instance-" + instance;
    }

    /**
     * The proxy process's resident memory, from /proc (Linux): its {@code /metrics} are etcd's, fetched from etcd
     * (their {@code process_start_time_seconds} is etcd's), so they cannot give the proxy's own.
     */
    private static long residentMemory(EtcdGrpcProxy proxy) {
        String listen = proxy.endpoint().substring("http://".length());
        ProcessHandle process = ProcessHandle.allProcesses()
            .filter((handle) -> handle.info()
                .arguments()
                .map(List::of)
                .filter((arguments) -> arguments.contains("grpc-proxy") && arguments.contains(listen))
                .isPresent())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No grpc-proxy process listening on " + listen));
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))
                .stream()
                .filter((line) -> line.startsWith("VmRSS:"))
                .mapToLong((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No VmRSS for process " + process.pid()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the grpc-proxy's memory from /proc", ex);
        }
    }

    /** This JVM's open file descriptors (sockets, epoll and event descriptors included), from /proc (Linux). */
    private static long openFiles() {
        try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list /proc/self/fd (Linux only)", ex);
        }
    }

    private static void sleep(Duration window) {
        if (window.isNegative()) {
            return;
        }
        try {
            Thread.sleep(window.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted in the fleet's quiet window", ex);
        }
    }

    private static void report(Report report, Settings.Fleet fleet, List<FleetRun> runs, String loadAtStart) {
        Duration checkInterval = new EtcdDiscoveryProperties().getResolver().getWatchCheckInterval();
        report.section("11. Fleet: many clients, straight to etcd and through etcd's gRPC proxy");
        report.note("Each client has its own jetcd client (its own connection) and the resolver stack as the starter "
                + "wires it (a `ServiceDirectory` on the client's shared watch stream), with one channel's listener "
                + "per service; all clients in this JVM, sharing only jetcd's callback executor. Every client "
                + "follows " + fleet.services() + " services of " + fleet.endpoints() + " endpoints. *direct*: the "
                + "clients' endpoint is etcd; *proxy*: one `etcd grpc-proxy start` in front of it. Every run has an "
                + "etcd of its own (and a proxy of its own). From " + fleet.settle().toSeconds()
                + " s after every client had started (past every watch's first check), a quiet window of "
                + fleet.steady().toSeconds() + " s: the calls are etcd's `grpc_server_started_total` during it "
                + "(per minute: scaled from the window's length) at the "
                + "resolver's default watch check interval of " + checkInterval.toSeconds() + " s; at its end etcd's "
                + "watch gauges and resident memory (RSS, from its `/metrics`) and the proxy's (from `/proc`). The "
                + "clients start all at once, in parallel. The puts go "
                + "to etcd directly, one endpoint's port moved per put, services taking turns, "
                + fleet.warmupPuts() + " warm-up puts then " + fleet.puts() + " measured; each waits until every "
                + "client's listener has the change.");
        Report.Table cost = report.table("run", "clients", "fleet start s", "etcd watch streams", "etcd watchers",
                "etcd RSS MiB (no client → fleet)", "proxy RSS MiB", "Range /min", "Watch /min", "Status /min",
                "threads / client", "open files / client", "heap KiB / client");
        for (FleetRun run : runs) {
            cost.row(mode(run), String.valueOf(run.clients()), seconds(run.startMillis()),
                    String.valueOf(run.settled().streams()), String.valueOf(run.settled().watchers()),
                    Jvm.mib(run.etcdIdleRss()) + " → " + Jvm.mib(run.etcdRss()),
                    run.proxied() ? Jvm.mib(run.proxyRss()) : "—", rate(run, run.calls().range()),
                    rate(run, run.calls().watch()), rate(run, run.calls().status()),
                    String.format(Locale.ROOT, "%.1f", run.threads() / (double) run.clients()),
                    String.format(Locale.ROOT, "%.1f", run.files() / (double) run.clients()),
                    String.format(Locale.ROOT, "%.0f", run.heap() / 1024.0 / run.clients()));
        }
        cost.end();
        Report.Table latency = report.table(Report.latencyHeaders("put → channel's listener"));
        for (FleetRun run : runs) {
            String name = mode(run) + ", " + run.clients() + " clients: ";
            latency.row(Report.latencyRow(name + "last client, per put", run.lastClient()));
            latency.row(Report.latencyRow(name + "every client, per put", run.everyClient()));
        }
        latency.end();
        report.note("Load average (1/5/15 min) at the start: " + loadAtStart + "; at the end: " + Machine.loadAverage()
                + ".");
    }

    private static String mode(FleetRun run) {
        return run.proxied() ? "proxy" : "direct";
    }

    private static String rate(FleetRun run, long count) {
        return String.format(Locale.ROOT, "%.1f", run.perMinute(count));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    /** put → listener: per put until the last client had it, and per put and client. */
    private record Latencies(Samples lastClient, Samples everyClient) {
    }
}
