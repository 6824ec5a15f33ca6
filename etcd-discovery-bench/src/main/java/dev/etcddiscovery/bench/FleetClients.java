package dev.etcddiscovery.bench;

import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.EquivalentAddressGroup;

/**
 * Many {@link FleetClient}s in this JVM, started and closed in parallel. Each has its own jetcd client and
 * connection; what they share is jetcd's callback executor (jetcd 0.8.5 gives every client its own Vert.x event
 * loops, which cannot be shared).
 */
final class FleetClients implements AutoCloseable {

    private static final int STARTERS = 8;

    private static final Duration PARALLEL_TIMEOUT = Duration.ofMinutes(3);

    private final ExecutorService callbacks = Executors.newCachedThreadPool(daemon("fleet-jetcd-"));

    private final List<FleetClient> clients;

    private FleetClients(Supplier<ClientBuilder> builders, int size, List<String> services, int endpoints) {
        // all at once, as a fleet restarts: through etcd's gRPC proxy this is what swapped two services' watches
        // before each watch stream sent one create request at a time (BENCHMARKS.md, finding 13)
        this.clients = inParallel(size, (i) -> new FleetClient(builders.get().executorService(this.callbacks).build(),
                services, endpoints));
    }

    /**
     * Starts {@code size} clients built from {@code builders} (each a new builder), each following
     * {@code services}, and waits until all of them have every service's first list of {@code endpoints} addresses.
     */
    static FleetClients start(Supplier<ClientBuilder> builders, int size, List<String> services, int endpoints) {
        FleetClients fleet = new FleetClients(builders, size, services, endpoints);
        fleet.clients.forEach(FleetClient::awaitFirstLists);
        return fleet;
    }

    int size() {
        return this.clients.size();
    }

    /**
     * Puts {@code key} with {@code port} and waits until every client's listener of the {@code service}-th service
     * lists the port: the nanoseconds from just before the put to each client's list, in client order.
     */
    long[] put(Client writer, int service, String key, int port) {
        List<Expectation<List<EquivalentAddressGroup>>> seen = new ArrayList<>(this.clients.size());
        for (FleetClient client : this.clients) {
            seen.add(client.probe(service).expect((list) -> ResolverProbe.hasPort(list, port)));
        }
        long start = System.nanoTime();
        Etcd.join(Etcd.put(writer, key, port));
        long[] nanos = new long[seen.size()];
        for (int i = 0; i < nanos.length; i++) {
            try {
                nanos[i] = seen.get(i).await(Etcd.TIMEOUT, "fleet client " + i + " to list port " + port) - start;
            }
            catch (IllegalStateException ex) {
                throw new IllegalStateException(ex.getMessage() + "; " + this.clients.get(i).describe(service), ex);
            }
        }
        return nanos;
    }

    @Override
    public void close() {
        inParallel(this.clients.size(), (int i) -> {
            this.clients.get(i).close();
            return i;
        });
        this.callbacks.shutdownNow();
    }

    /** {@code task(0 .. count-1)} on a few threads; the first failure is thrown once all have ended. */
    private static <T> List<T> inParallel(int count, IntFunction<T> task) {
        ExecutorService starters = Executors.newFixedThreadPool(STARTERS, daemon("fleet-starter-"));
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(CompletableFuture.supplyAsync(() -> task.apply(index), starters));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
            all.get(PARALLEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return futures.stream().map(CompletableFuture::join).toList();
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Starting or closing " + count + " fleet clients failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted starting or closing fleet clients", ex);
        }
        finally {
            starters.shutdownNow();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return (task) -> {
            Thread thread = new Thread(task, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
