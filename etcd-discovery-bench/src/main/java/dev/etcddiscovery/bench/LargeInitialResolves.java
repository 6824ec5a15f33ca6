package dev.etcddiscovery.bench;

import java.util.List;

import dev.etcddiscovery.resolver.ServiceDirectory;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.EquivalentAddressGroup;

/**
 * The first complete list of a large service, resolved again and again with fresh watches, beside its floors:
 * jetcd's own {@code get} of the prefix in one response (on a client that accepts any size: with gRPC's default 4 MiB
 * it fails above ~45,000 endpoints) and the same list in pages of about the size the resolver reads. Each resolve is
 * split at the moment jetcd answered the resolver's last {@code get} ({@link TimedClient}), and resolves that a
 * garbage collection overlapped are counted apart.
 */
final class LargeInitialResolves {

    /** About 1 MiB of these keys and values, what the resolver's pages after its first one aim for. */
    private static final int PAGE = 10_000;

    final Samples listFloor = new Samples();

    final Samples pagedFloor = new Samples();

    final Samples resolved = new Samples();

    final Samples resolvedWithoutGc = new Samples();

    final Samples listAnswered = new Samples();

    final Samples afterList = new Samples();

    final Samples cold = new Samples();

    private final TimedClient client;

    private final Client unlimited;

    private final String service;

    private final int count;

    /** {@code unlimited}: a client without gRPC's inbound message limit, for the floor of one {@code get}. */
    LargeInitialResolves(TimedClient client, Client unlimited, String service, int count) {
        this.client = client;
        this.unlimited = unlimited;
        this.service = service;
        this.count = count;
    }

    /** {@code warmup} rounds (the first one recorded as cold), then {@code rounds} measured ones. */
    void run(int warmup, int rounds) {
        for (int round = -warmup; round < rounds; round++) {
            long start = System.nanoTime();
            Etcd.join(this.unlimited.getKVClient().get(prefix(), GetOption.builder().isPrefix(true).build()));
            long listed = System.nanoTime() - start;
            long pagedStart = System.nanoTime();
            pagedGet(PAGE);
            long paged = System.nanoTime() - pagedStart;
            long collections = GcPauses.collections();
            long resolveStart = System.nanoTime();
            long resolvedAt = resolveOnce();
            boolean gc = GcPauses.collections() != collections;
            if (round == -warmup) {
                this.cold.add(resolvedAt - resolveStart);
            }
            if (round >= 0) {
                this.listFloor.add(listed);
                this.pagedFloor.add(paged);
                this.resolved.add(resolvedAt - resolveStart);
                if (!gc) {
                    this.resolvedWithoutGc.add(resolvedAt - resolveStart);
                }
                long answered = this.client.lastGetAnswered();
                this.listAnswered.add(answered - resolveStart);
                this.afterList.add(resolvedAt - answered);
            }
        }
    }

    /** Fresh watches on the connected client: when the listener had all {@code count} endpoints. */
    private long resolveOnce() {
        try (ServiceDirectory watches = Etcd.watches(this.client)) {
            Expectation<List<EquivalentAddressGroup>> full = new Expectation<>((eags) -> eags.size() == this.count);
            try (ResolverProbe probe = ResolverProbe.start(Etcd.provider(watches), this.service, full)) {
                return full.await(LargeServiceBench.FULL_LIST_TIMEOUT, "the first list of " + this.count);
            }
        }
    }

    /**
     * Gets the prefix in pages of {@code pageSize} keys, each asked for once the one before it answered, all at the
     * first page's revision: what a resolver that parsed each page while the next one is on its way would wait for.
     */
    private void pagedGet(int pageSize) {
        ByteSequence from = prefix();
        // the end of the prefix range: '0' follows '/'
        ByteSequence end = Etcd.bytes(this.service + "0");
        long revision = 0;
        while (true) {
            GetOption.Builder option = GetOption.builder().withRange(end).withLimit(pageSize);
            if (revision > 0) {
                option.withRevision(revision);
            }
            GetResponse page = Etcd.join(this.client.getKVClient().get(from, option.build()));
            revision = (revision > 0) ? revision : page.getHeader().getRevision();
            if (!page.isMore() || page.getKvs().isEmpty()) {
                return;
            }
            from = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(ByteSequence.from(new byte[] { 0 }));
        }
    }

    int pageSize() {
        return PAGE;
    }

    private ByteSequence prefix() {
        return Etcd.bytes(this.service + "/");
    }
}
