package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reads a {@link PrefixWatch} makes of its prefix, linearizable (jetcd's default) and bounded by the request
 * timeout: jetcd waits for etcd forever, and the watch's backoff must take over from a read that hangs.
 * <p>
 * The prefix is listed in pages, all at the first page's revision, because one response must fit in the 4 MiB gRPC
 * accepts by default on jetcd's channel: 100,000 endpoints as the registration writes them are about 9 MB (etcd
 * answers a range of any size, and etcd's own Go client accepts 2 GiB). A page asks for as many keys as fit in
 * {@link #PAGE_BYTES} at the sizes seen so far; a page refused as too large (RESOURCE_EXHAUSTED, e.g. on a client
 * with a lower limit) is asked again with half as many keys, and the smaller size is kept for this prefix.
 */
final class PrefixReads {

    private static final Logger logger = LoggerFactory.getLogger(PrefixReads.class);

    /** What one page should carry: a quarter of gRPC's default inbound limit, so sizes may vary within a page. */
    static final long PAGE_BYTES = 1024 * 1024;

    /** The first page, before any size was seen: 1,000 endpoints are ~90 KB as registered, 4 MiB at 4 KiB each. */
    static final int FIRST_PAGE = 1_000;

    /** What a key-value costs in a range response besides its key and value (revisions, version, lease, framing). */
    private static final int KEY_VALUE_OVERHEAD = 32;

    private static final GetOption COUNT = GetOption.builder().isPrefix(true).withCountOnly(true).build();

    private final KV kv;

    private final ByteSequence prefix;

    private final ByteSequence prefixEnd;

    private final Duration timeout;

    /** Keys per page; read and written by one list at a time (a watch lists once its previous list ended). */
    private volatile int pageSize = FIRST_PAGE;

    PrefixReads(KV kv, ByteSequence prefix, Duration timeout) {
        this.kv = kv;
        this.prefix = prefix;
        this.prefixEnd = OptionsUtil.prefixEndOf(prefix);
        this.timeout = timeout;
    }

    /** Every key-value under the prefix as of one revision, with the header of the read at that revision. */
    CompletableFuture<Listing> list() {
        CompletableFuture<Listing> listing = new CompletableFuture<>();
        readPage(this.prefix, null, new ArrayList<>(), listing);
        return listing;
    }

    /** etcd's current revision, as a count of the prefix reads it. */
    CompletableFuture<Long> revision() {
        return bounded(() -> this.kv.get(this.prefix, COUNT))
            .thenApply((response) -> response.getHeader().getRevision());
    }

    /**
     * Reads the page from {@code from} on (at {@code first}'s revision, or at the current one for the first page)
     * and the pages after it, then completes {@code listing}.
     */
    private void readPage(ByteSequence from, Response.Header first, List<KeyValue> kvs,
            CompletableFuture<Listing> listing) {
        int limit = this.pageSize;
        GetOption.Builder option = GetOption.builder().withRange(this.prefixEnd).withLimit(limit);
        if (first != null) {
            option.withRevision(first.getRevision());
        }
        bounded(() -> this.kv.get(from, option.build())).whenComplete((page, error) -> {
            if (error != null) {
                if (limit > 1 && Status.fromThrowable(error).getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    this.pageSize = limit / 2;
                    logger.debug("A page of {} keys of etcd prefix '{}' was refused as too large ({}); asking for {}",
                            limit, this.prefix, Status.fromThrowable(error).getDescription(), this.pageSize);
                    readPage(from, first, kvs, listing);
                }
                else {
                    listing.completeExceptionally(error);
                }
                return;
            }
            List<KeyValue> pageKvs = page.getKvs();
            kvs.addAll(pageKvs);
            Response.Header header = (first != null) ? first : page.getHeader();
            if (!page.isMore() || pageKvs.isEmpty()) {
                listing.complete(new Listing(header, kvs));
                return;
            }
            this.pageSize = fitting(pageKvs);
            KeyValue last = pageKvs.get(pageKvs.size() - 1);
            readPage(last.getKey().concat(ByteSequence.from(new byte[] { 0 })), header, kvs, listing);
        });
    }

    /** Keys per page at the sizes of {@code kvs}: as many as {@link #PAGE_BYTES} hold, at least one. */
    private static int fitting(List<KeyValue> kvs) {
        long bytes = 0;
        for (KeyValue kv : kvs) {
            bytes += kv.getKey().size() + kv.getValue().size() + KEY_VALUE_OVERHEAD;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, PAGE_BYTES * kvs.size() / bytes));
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

    /**
     * The key-values under a prefix as of one revision.
     *
     * @param header the header of the first page, whose revision all pages were read at
     * @param kvs the key-values in key order
     */
    record Listing(Response.Header header, List<KeyValue> kvs) {
    }
}
