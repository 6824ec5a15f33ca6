package dev.etcddiscovery.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.etcddiscovery.bench.app.Echo;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;

/**
 * Benchmark 2: from the put of a new server's key to the first call that server serves, through an
 * {@code etcd:///} channel with round_robin that calls back-to-back the whole time.
 */
final class FirstRpcBench {

    private static final String SERVICE = "first-rpc";

    private FirstRpcBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        Samples served = new Samples();
        Samples listed = new Samples();
        Samples connected = new Samples();
        Samples connectedToServed = new Samples();
        Caller caller;
        try (Client writer = Etcd.client(etcd); Client resolverClient = Etcd.client(etcd);
                ServiceDirectory watches = Etcd.watches(resolverClient)) {
            EtcdNameResolverProvider provider = Etcd.provider(watches);
            NameResolverRegistry.getDefaultRegistry().register(provider);
            Server base = start("base", (nanos) -> { }, new AtomicLong());
            ResolverProbe probe = ResolverProbe.start(provider, SERVICE, Expectation.any());
            ManagedChannel channel = null;
            try {
                Etcd.join(Etcd.put(writer, key(base), base.getPort()));
                channel = NettyChannelBuilder.forTarget("etcd:///" + SERVICE)
                    .defaultLoadBalancingPolicy("round_robin")
                    .usePlaintext()
                    .build();
                caller = new Caller(channel);
                caller.awaitAnswerFrom("base", 20);
                int total = settings.firstRpcWarmup() + settings.firstRpcSamples();
                for (int i = 0; i < total; i++) {
                    AtomicLong firstCall = new AtomicLong();
                    AtomicLong firstConnection = new AtomicLong();
                    Expectation<Long> firstServed = Expectation.any();
                    Server added = start("added-" + i, (nanos) -> {
                        if (firstCall.compareAndSet(0, nanos)) {
                            firstServed.offer(nanos, nanos);
                        }
                    }, firstConnection);
                    int port = added.getPort();
                    Expectation<List<EquivalentAddressGroup>> inList = probe
                        .expect((list) -> ResolverProbe.hasPort(list, port));
                    long start = System.nanoTime();
                    Etcd.put(writer, key(added), port);
                    long servedAt = firstServed.await(Etcd.TIMEOUT, "the first call to new server " + i);
                    long listedAt = inList.await(Etcd.TIMEOUT, "the resolver to list new server " + i);
                    if (i >= settings.firstRpcWarmup()) {
                        served.add(servedAt - start);
                        listed.add(listedAt - start);
                        connected.add(firstConnection.get() - start);
                        connectedToServed.add(servedAt - firstConnection.get());
                    }
                    Etcd.join(writer.getKVClient().delete(Etcd.bytes(key(added))));
                    caller.awaitAnswerFrom("base", 20);
                    added.shutdown().awaitTermination(10, TimeUnit.SECONDS);
                }
                caller.stop();
                probe.close();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
                base.shutdownNow();
                NameResolverRegistry.getDefaultRegistry().deregister(provider);
            }
        }
        report.section("2. put → first RPC served by a newly registered server");
        report.note("A real grpc-java server on 127.0.0.1:0 is started, then its key is put; one thread calls the "
                + "`etcd:///" + SERVICE + "` channel (round_robin) back-to-back and the time is taken in the new "
                + "server's handler. Includes resolving, connecting (TCP + HTTP/2) and round_robin picking it. "
                + "Between samples the key is deleted and the server stopped once calls only reach the base "
                + "server. " + settings.firstRpcWarmup() + " warm-up servers not counted. Where the time goes, "
                + "for the same samples: a second resolver on the channel's `ServiceDirectory` (so on the same "
                + "watch) lists the new address; the new server's transport filter sees the channel's connection "
                + "ready (`transportReady`); from then to the first call it serves.");
        report.table(Report.latencyHeaders("put → ..."))
            .row(Report.latencyRow("first RPC served by the new server", served))
            .row(Report.latencyRow("where it goes: a resolver on the same watch lists it", listed))
            .row(Report.latencyRow("where it goes: the new server has the channel's connection (HTTP/2 "
                    + "transport ready)", connected))
            .row(Report.latencyRow("where it goes: connection ready → first RPC served (round_robin picks it)",
                    connectedToServed))
            .end();
        report.note("Target p99 ≤ 50 ms: " + Samples.ms(served.percentile(99)) + " ms. Calls made: "
                + caller.calls.get() + ", failed: " + caller.failures.get() + ".");
        report.note("With a re-list every 1 s / 5 s instead, a new server would get its first call after ~500 / "
                + "~2,500 ms at p50 (N/2) plus the same connect time.");
    }

    private static String key(Server server) {
        return SERVICE + "/127.0.0.1:" + server.getPort();
    }

    /** A server whose first transport that became ready is noted in {@code firstConnection}. */
    private static Server start(String name, Consumer<Long> onCall, AtomicLong firstConnection) {
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Echo(name, onCall))
                .addTransportFilter(new ServerTransportFilter() {

                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        firstConnection.compareAndSet(0, System.nanoTime());
                        return attributes;
                    }
                })
                .build()
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start a gRPC server on 127.0.0.1", ex);
        }
    }

    /** Calls the channel back-to-back on its own thread and remembers who answered. */
    private static final class Caller {

        private final AtomicLong calls = new AtomicLong();

        private final AtomicLong failures = new AtomicLong();

        private final AtomicInteger sameInARow = new AtomicInteger();

        private final AtomicReference<String> lastAnswer = new AtomicReference<>("");

        private final Thread thread;

        private volatile boolean stopped;

        Caller(ManagedChannel channel) {
            this.thread = new Thread(() -> {
                while (!this.stopped) {
                    call(channel);
                }
            }, "bench-caller");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void call(ManagedChannel channel) {
            this.calls.incrementAndGet();
            try {
                byte[] reply = ClientCalls.blockingUnaryCall(channel, Echo.WHO,
                        CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(5, TimeUnit.SECONDS), new byte[0]);
                String answer = new String(reply, StandardCharsets.UTF_8);
                if (answer.equals(this.lastAnswer.getAndSet(answer))) {
                    this.sameInARow.incrementAndGet();
                }
                else {
                    this.sameInARow.set(1);
                }
            }
            catch (StatusRuntimeException ex) {
                this.failures.incrementAndGet();
            }
        }

        /** Waits until {@code name} answered {@code times} calls in a row. */
        void awaitAnswerFrom(String name, int times) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(name.equals(this.lastAnswer.get()) && this.sameInARow.get() >= times)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Calls did not settle on server '" + name + "' within 10 s");
                }
                LockSupport.parkNanos(200_000);
            }
        }

        void stop() throws InterruptedException {
            this.stopped = true;
            this.thread.join(10_000);
        }
    }
}
