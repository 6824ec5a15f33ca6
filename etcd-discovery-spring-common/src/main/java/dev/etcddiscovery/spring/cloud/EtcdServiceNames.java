package dev.etcddiscovery.spring.cloud;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.etcddiscovery.internal.EtcdFailures;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * The service names under a namespace, each key {@code <namespace><service>/<rest>} giving {@code <service>}; keys
 * without a {@code /} after the namespace are not services and are left out. The names are not watched: each call
 * reads them again, by skipping from one service to the next, one key per request (a key's service, then the first
 * key after {@code <service>/}), so the answer stays small however many endpoints a service has. One keys-only read
 * of the whole namespace is ~50 bytes per endpoint, and past ~80,000 endpoints it exceeds gRPC's 4 MiB inbound limit
 * of jetcd's channel: it would fail every time.
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
     * @throws IllegalStateException when etcd does not answer in time (the timeout holds for the whole listing) or
     * fails, naming why
     */
    public List<String> names() {
        long deadline = System.nanoTime() + this.timeout.toNanos();
        List<String> names = new ArrayList<>();
        ByteSequence from = this.namespace.isEmpty() ? ZERO : utf8(this.namespace);
        // to the prefix's end; for no namespace "\0", etcd's "every key from here on"
        GetOption firstKeyOnly = GetOption.builder()
            .withRange(OptionsUtil.prefixEndOf(utf8(this.namespace)))
            .withKeysOnly(true)
            .withLimit(1)
            .build();
        KeyValue next;
        while ((next = firstKey(from, firstKeyOnly, deadline)) != null) {
            String key = next.getKey().toString(StandardCharsets.UTF_8);
            String rest = key.substring(this.namespace.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                String name = rest.substring(0, slash);
                names.add(name);
                // '0' follows '/': the first key after every key of this service
                from = utf8(this.namespace + name + "0");
            }
            else {
                from = next.getKey().concat(ZERO);
            }
        }
        return List.copyOf(names);
    }

    private KeyValue firstKey(ByteSequence from, GetOption option, long deadline) {
        GetResponse response;
        try {
            response = this.kv.get(from, option).get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while listing the services in etcd", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not list the services in etcd under namespace '" + this.namespace
                    + "': " + EtcdFailures.describe(EtcdFailures.unwrap(ex), this.timeout), ex);
        }
        return response.getKvs().isEmpty() ? null : response.getKvs().get(0);
    }

    private static ByteSequence utf8(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
