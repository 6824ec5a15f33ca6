package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;

/**
 * The reads a {@link PrefixWatch} makes of its prefix, linearizable (jetcd's default) and bounded by the request
 * timeout: jetcd waits for etcd forever, and the watch's backoff must take over from a read that hangs.
 */
final class PrefixReads {

    private static final GetOption LIST = GetOption.builder().isPrefix(true).build();

    private static final GetOption COUNT = GetOption.builder().isPrefix(true).withCountOnly(true).build();

    private final KV kv;

    private final ByteSequence prefix;

    private final Duration timeout;

    PrefixReads(KV kv, ByteSequence prefix, Duration timeout) {
        this.kv = kv;
        this.prefix = prefix;
        this.timeout = timeout;
    }

    /** Every key-value under the prefix, with etcd's revision. */
    CompletableFuture<GetResponse> list() {
        return bounded(() -> this.kv.get(this.prefix, LIST));
    }

    /** etcd's current revision, as a count of the prefix reads it. */
    CompletableFuture<Long> revision() {
        return bounded(() -> this.kv.get(this.prefix, COUNT)).thenApply((response) -> response.getHeader().getRevision());
    }

    private <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        }
        catch (RuntimeException ex) {
            future = CompletableFuture.failedFuture(ex);
        }
        return future.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
