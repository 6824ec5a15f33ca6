package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

import dev.etcddiscovery.internal.EndpointValueWriter;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;

/** jetcd clients, the resolver stack as the starter builds it, and endpoint values as the starter writes them. */
final class Etcd {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final EndpointValueWriter VALUES = new EndpointValueWriter();

    private Etcd() {
    }

    static Client client(EtcdCluster etcd) {
        return etcd.client();
    }

    /** The starter's defaults: 5 s request timeout, 30 s watch check interval. */
    static ServiceDirectory watches(Client client) {
        return ServiceDirectory.builder(client).build();
    }

    static EtcdNameResolverProvider provider(ServiceDirectory watches) {
        return new EtcdNameResolverProvider(watches, "");
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** The value the registration writes for {@code 127.0.0.1:port}. */
    static ByteSequence endpointValue(int port) {
        return endpointValue(port, null);
    }

    /** The value the registration writes for {@code 127.0.0.1:port} with {@code metadata} (a map, or null). */
    static ByteSequence endpointValue(int port, Object metadata) {
        return endpointValue("127.0.0.1:" + port, metadata);
    }

    /** The value the registration writes for {@code address} ({@code host:port}) with {@code metadata}, or null. */
    static ByteSequence endpointValue(String address, Object metadata) {
        return ByteSequence.from(VALUES.write(address, metadata));
    }

    static CompletableFuture<?> put(Client client, String key, int port) {
        return client.getKVClient().put(bytes(key), endpointValue(port));
    }

    /** Puts {@code count} endpoints {@code key(i)} -> 127.0.0.1:{@code port(i)}, at most 256 requests in flight. */
    static void putAll(Client client, int count, IntFunction<String> key, IntUnaryOperator port) {
        putValues(client, count, key, (i) -> endpointValue(port.applyAsInt(i)));
    }

    /**
     * Puts {@code count} keys {@code key(i)} -> {@code value(i)}, at most 256 requests in flight: one put per key,
     * so no request comes near etcd's request limit (1.5 MiB by default) however many keys there are.
     */
    static void putValues(Client client, int count, IntFunction<String> key, IntFunction<ByteSequence> value) {
        Semaphore inFlight = new Semaphore(256);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquireUninterruptibly();
            client.getKVClient().put(bytes(key.apply(i)), value.apply(i)).whenComplete((response, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
        }
        inFlight.acquireUninterruptibly(256);
        if (failure.get() != null) {
            throw new IllegalStateException("A put failed: " + failure.get(), failure.get());
        }
    }

    static void deletePrefix(Client client, String prefix) {
        join(client.getKVClient().delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build()));
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("etcd request failed: " + ex, ex);
        }
    }
}
