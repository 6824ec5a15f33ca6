package dev.etcddiscovery.spring.cloud;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.etcddiscovery.internal.EtcdFailures;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;

/**
 * The service names under a namespace: one keys-only prefix read of the namespace per call (the names are not
 * watched), each key {@code <namespace><service>/<rest>} giving {@code <service>}. Keys without a {@code /} after
 * the namespace are not services and are left out.
 */
public class EtcdServiceNames {

    private static final ByteSequence ZERO = ByteSequence.from(new byte[] { 0 });

    private final KV kv;

    private final String namespace;

    private final Duration timeout;

    public EtcdServiceNames(KV kv, String namespace, Duration timeout) {
        this.kv = kv;
        this.namespace = (namespace != null) ? namespace : "";
        this.timeout = timeout;
    }

    /**
     * @throws IllegalStateException when etcd does not answer in time or fails, naming why
     */
    public List<String> names() {
        GetResponse response;
        try {
            response = read().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while listing the services in etcd", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not list the services in etcd under namespace '" + this.namespace
                    + "': " + EtcdFailures.describe(EtcdFailures.unwrap(ex), this.timeout), ex);
        }
        TreeSet<String> names = new TreeSet<>();
        for (KeyValue kv : response.getKvs()) {
            String rest = kv.getKey().toString(StandardCharsets.UTF_8).substring(this.namespace.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                names.add(rest.substring(0, slash));
            }
        }
        return List.copyOf(names);
    }

    private CompletableFuture<GetResponse> read() {
        if (this.namespace.isEmpty()) {
            // every key: from "\0" with range end "\0" (etcd's "all keys >= key")
            return this.kv.get(ZERO, GetOption.builder().withRange(ZERO).withKeysOnly(true).build());
        }
        ByteSequence prefix = ByteSequence.from(this.namespace, StandardCharsets.UTF_8);
        return this.kv.get(prefix, GetOption.builder().isPrefix(true).withKeysOnly(true).build());
    }
}
