package dev.etcddiscovery.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.etcddiscovery.bench.app.Echo;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;

/**
 * Benchmark 10: the etcd_routing policy. How exactly calls follow the servers' weights and the client's zone, how long
 * calls take to leave a zone whose last server goes away (key deleted, or NOT_SERVING) and to come back, and what a
 * call costs with etcd_routing against round_robin, in the same run on the same servers.
 */
final class RoutingBench {

    private static final String SERVICE = "routing";

    private RoutingBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        int calls = settings.routingCalls();
        Map<String, Integer> weighted;
        Map<String, Integer> zoned;
        Samples rrCost = new Samples();
        Samples routingCost = new Samples();
        Samples deletedToRemote = new Samples();
        Samples putToLocal = new Samples();
        Samples notServingToRemote = new Samples();
        Samples servingToLocal = new Samples();
        try (Client writer = Etcd.client(etcd); Client resolverClient = Etcd.client(etcd);
                ServiceDirectory watches = Etcd.watches(resolverClient)) {
            EtcdNameResolverProvider provider = Etcd.provider(watches);
            NameResolverRegistry.getDefaultRegistry().register(provider);
            Fleet fleet = new Fleet(writer);
            try {
                fleet.start("a1", Map.of("zone", "a", "weight", "1"));
                fleet.start("a3", Map.of("zone", "a", "weight", "3"));
                fleet.start("b1", Map.of("zone", "b", "weight", "1"));
                ManagedChannel anyZone = fleet.channel(Map.of());
                ManagedChannel zoneA = fleet.channel(Map.of("zone", "a"));
                ManagedChannel roundRobin = fleet.channel(null);
                fleet.awaitAnswers(anyZone, List.of("a1", "a3", "b1"));
                fleet.awaitAnswers(zoneA, List.of("a1", "a3"));
                fleet.awaitAnswers(roundRobin, List.of("a1", "a3", "b1"));
                weighted = counts(anyZone, calls);
                zoned = counts(zoneA, calls);
                // the policies take turns in blocks, so that load on the machine weighs on both alike
                int block = Math.max(1, calls / 20);
                for (int i = 0; i < 20; i++) {
                    rrCost.add(timePerCall(roundRobin, block));
                    routingCost.add(timePerCall(zoneA, block));
                }
                for (int round = 0; round < settings.routingFailovers(); round++) {
                    try (Caller caller = new Caller(zoneA)) {
                        long deleted = System.nanoTime();
                        fleet.delete("a1");
                        fleet.delete("a3");
                        deletedToRemote.add(caller.awaitOnly("b1", deleted) - deleted);
                        long put = System.nanoTime();
                        fleet.put("a1");
                        fleet.put("a3");
                        putToLocal.add(caller.awaitAny(List.of("a1", "a3"), put) - put);
                        long notServing = System.nanoTime();
                        fleet.serving("a1", false);
                        fleet.serving("a3", false);
                        notServingToRemote.add(caller.awaitOnly("b1", notServing) - notServing);
                        long serving = System.nanoTime();
                        fleet.serving("a1", true);
                        fleet.serving("a3", true);
                        servingToLocal.add(caller.awaitAny(List.of("a1", "a3"), serving) - serving);
                    }
                }
            }
            finally {
                fleet.close();
                NameResolverRegistry.getDefaultRegistry().deregister(provider);
            }
        }
        report.section("10. Routing by weight and zone (etcd_routing)");
        report.note("Three real grpc-java servers on 127.0.0.1 registered with metadata a1 {zone a, weight 1}, "
                + "a3 {zone a, weight 3}, b1 {zone b, weight 1}, each serving the standard health service; "
                + "`etcd:///" + SERVICE + "` channels with a `healthCheckConfig`. " + calls
                + " sequential calls per channel.");
        report.table("channel", "calls", "a1", "a3", "b1", "expected")
            .row(distributionRow("etcd_routing, no zone", weighted, calls, "20 / 60 / 20 %"))
            .row(distributionRow("etcd_routing, zone a", zoned, calls, "25 / 75 / 0 %"))
            .end();
        report.table(Report.latencyHeaders("zone a loses its servers / gets them back → ..."))
            .row(Report.latencyRow("keys deleted → calls only reach zone b", deletedToRemote))
            .row(Report.latencyRow("keys put back → a call reaches zone a", putToLocal))
            .row(Report.latencyRow("NOT_SERVING → calls only reach zone b", notServingToRemote))
            .row(Report.latencyRow("SERVING → a call reaches zone a", servingToLocal))
            .end();
        report.note("Measured by a thread calling back-to-back: the time until the first call of a run answered "
                + "only by zone b (calls answered alone for 50 ms after it), or until zone a answers again (polled "
                + "every millisecond). Calls that failed during "
                + "all failovers: " + Caller.failures.get() + ".");
        report.table("policy", "blocks", "p50 µs per call", "max µs per call")
            .row(costRow("round_robin", rrCost))
            .row(costRow("etcd_routing (zone a, weights)", routingCost))
            .end();
        report.note("Whole unary calls on loopback, the policies taking turns in 20 blocks of " + Math.max(1, calls / 20)
                + " calls; the picker's share is the difference.");
    }

    private static String[] distributionRow(String name, Map<String, Integer> counts, int calls, String expected) {
        return new String[] { name, String.valueOf(calls), percent(counts, "a1", calls), percent(counts, "a3", calls),
                percent(counts, "b1", calls), expected };
    }

    private static String percent(Map<String, Integer> counts, String server, int calls) {
        return String.format("%.2f %%", 100.0 * counts.getOrDefault(server, 0) / calls);
    }

    private static String[] costRow(String name, Samples nanosPerCall) {
        return new String[] { name, String.valueOf(nanosPerCall.size()),
                String.format("%.1f", nanosPerCall.percentile(50) / 1_000.0),
                String.format("%.1f", nanosPerCall.max() / 1_000.0) };
    }

    private static Map<String, Integer> counts(ManagedChannel channel, int calls) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < calls; i++) {
            counts.merge(who(channel), 1, Integer::sum);
        }
        return counts;
    }

    /** Mean nanoseconds per call over {@code calls} sequential calls. */
    private static long timePerCall(ManagedChannel channel, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            who(channel);
        }
        return (System.nanoTime() - start) / calls;
    }

    private static String who(ManagedChannel channel) {
        byte[] reply = ClientCalls.blockingUnaryCall(channel, Echo.WHO,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[0]);
        return new String(reply, StandardCharsets.UTF_8);
    }

    /** The bench's servers, their keys and the channels to them. */
    private static final class Fleet {

        private final Client writer;

        private final Map<String, Server> servers = new LinkedHashMap<>();

        private final Map<String, HealthStatusManager> health = new LinkedHashMap<>();

        private final Map<String, Map<String, String>> metadata = new LinkedHashMap<>();

        private final List<ManagedChannel> channels = new java.util.ArrayList<>();

        Fleet(Client writer) {
            this.writer = writer;
        }

        void start(String name, Map<String, String> metadata) {
            HealthStatusManager health = new HealthStatusManager();
            try {
                this.servers.put(name, NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Echo(name, (nanos) -> { }))
                    .addService(health.getHealthService())
                    .build()
                    .start());
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Could not start a gRPC server on 127.0.0.1", ex);
            }
            this.health.put(name, health);
            this.metadata.put(name, metadata);
            put(name);
        }

        void put(String name) {
            int port = this.servers.get(name).getPort();
            Etcd.join(this.writer.getKVClient().put(Etcd.bytes(key(port)), Etcd.endpointValue(port,
                    this.metadata.get(name))));
        }

        void delete(String name) {
            Etcd.join(this.writer.getKVClient().delete(Etcd.bytes(key(this.servers.get(name).getPort()))));
        }

        void serving(String name, boolean serving) {
            this.health.get(name).setStatus("", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        }

        /** An etcd_routing channel with {@code config}, or a round_robin one when it is null; health-checked. */
        ManagedChannel channel(Map<String, ?> config) {
            Map<String, ?> policy = (config != null) ? Map.of("etcd_routing", config) : Map.of("round_robin", Map.of());
            ManagedChannel channel = NettyChannelBuilder.forTarget("etcd:///" + SERVICE)
                .defaultServiceConfig(Map.of("loadBalancingConfig", List.of(policy), "healthCheckConfig",
                        Map.of("serviceName", "")))
                .usePlaintext()
                .build();
            this.channels.add(channel);
            return channel;
        }

        void awaitAnswers(ManagedChannel channel, List<String> names) {
            long deadline = System.nanoTime() + Etcd.TIMEOUT.toNanos();
            while (!counts(channel, 40).keySet().containsAll(names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Calls did not reach " + names + " within " + Etcd.TIMEOUT);
                }
            }
        }

        void close() {
            this.channels.forEach(ManagedChannel::shutdownNow);
            this.servers.values().forEach(Server::shutdownNow);
        }

        private static String key(int port) {
            return SERVICE + "/127.0.0.1:" + port;
        }
    }

    /** Calls back-to-back on its own thread, noting when each server last answered and the first answer after. */
    private static final class Caller implements AutoCloseable {

        static final AtomicLong failures = new AtomicLong();

        private final Map<String, Long> lastAnswer = new ConcurrentHashMap<>();

        private final Thread thread;

        private volatile boolean stopped;

        Caller(ManagedChannel channel) {
            this.thread = new Thread(() -> {
                while (!this.stopped) {
                    try {
                        String server = who(channel);
                        long now = System.nanoTime();
                        this.lastAnswer.put(server, now);
                    }
                    catch (StatusRuntimeException ex) {
                        failures.incrementAndGet();
                    }
                }
            }, "bench-routing-caller");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        /**
         * When calls began to reach only {@code server}: the last answer of any other server after {@code since}
         * (or {@code since}), once {@code server} has gone on answering alone for 50 ms.
         */
        long awaitOnly(String server, long since) {
            long deadline = since + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                long others = since;
                for (Map.Entry<String, Long> answer : this.lastAnswer.entrySet()) {
                    if (!answer.getKey().equals(server)) {
                        others = Math.max(others, answer.getValue());
                    }
                }
                Long last = this.lastAnswer.get(server);
                if (last != null && last - others > TimeUnit.MILLISECONDS.toNanos(50)) {
                    return others;
                }
                LockSupport.parkNanos(1_000_000);
            }
            throw new IllegalStateException("Calls did not move to " + server + " within 30 s");
        }

        /** When one of {@code servers} answered after {@code since}, polled every millisecond. */
        long awaitAny(List<String> servers, long since) {
            long deadline = since + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (String server : servers) {
                    Long last = this.lastAnswer.get(server);
                    if (last != null && last > since) {
                        return last;
                    }
                }
                LockSupport.parkNanos(1_000_000);
            }
            throw new IllegalStateException("Calls did not come back to " + servers + " within 30 s");
        }

        @Override
        public void close() {
            this.stopped = true;
            try {
                this.thread.join(10_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
