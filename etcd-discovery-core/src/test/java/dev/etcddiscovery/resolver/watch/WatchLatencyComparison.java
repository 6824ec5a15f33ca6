package dev.etcddiscovery.resolver.watch;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import org.slf4j.LoggerFactory;

import static dev.etcddiscovery.resolver.watch.MultiplexedWatchIntegrationTest.bytes;

/**
 * Throwaway measurement, not a test: put → watch listener latency of jetcd 0.8.5's own watch and of
 * {@link MultiplexedWatch}, in one JVM against one etcd. Both watchers run on the same watch client all the time
 * (on different prefixes); puts go through a second client, one at a time, and alternate between the variants in
 * blocks (in turn, reversed every other round), so both see the same machine, JIT and GC state. The first block of each variant is reported as cold, then
 * warm-up blocks are discarded, then the measured blocks. GC collections during each variant's blocks are counted.
 * <p>
 * Run: {@code java -cp <test classpath> dev.etcddiscovery.resolver.watch.WatchLatencyComparison [warmup] [measured]}
 * (puts per variant; defaults 5000 and 5000). Optional {@code -Detcd=http://127.0.0.1:2379} uses a running etcd.
 */
public final class WatchLatencyComparison {

    private static final int BLOCK = 500;

    private final Map<String, Variant> variants = new LinkedHashMap<>();

    private final KV kv;

    private WatchLatencyComparison(KV kv) {
        this.kv = kv;
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        int warmup = (args.length > 0) ? Integer.parseInt(args[0]) : 5000;
        int measured = (args.length > 1) ? Integer.parseInt(args[1]) : 5000;
        String endpoint = System.getProperty("etcd");
        EtcdCluster etcd = (endpoint == null) ? EtcdCluster.start() : null;
        String target = (endpoint != null) ? endpoint : etcd.endpoint();
        try (Client puts = Client.builder().endpoints(target).build();
                Client watches = Client.builder().endpoints(target).build();
                Watch multiplexed = MultiplexedWatch.forClient(watches)) {
            WatchLatencyComparison comparison = new WatchLatencyComparison(puts.getKVClient());
            comparison.add("jetcd 0.8.5 watch", watches.getWatchClient());
            comparison.add("MultiplexedWatch", multiplexed);
            comparison.run(warmup, measured);
        }
        finally {
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    private void add(String name, Watch watch) {
        Variant variant = new Variant(name, "latency/" + this.variants.size() + "/");
        watch.watch(bytes(variant.prefix), WatchOption.builder().isPrefix(true).build(), (response) -> {
            long now = System.nanoTime();
            response.getEvents().forEach((event) -> variant.arrivals.add(now));
        });
        this.variants.put(name, variant);
    }

    private void run(int warmup, int measured) throws Exception {
        for (Variant variant : this.variants.values()) {
            variant.cold = block(variant, BLOCK, false);
        }
        for (int done = 0; done < warmup; done += BLOCK) {
            for (Variant variant : inTurn(done)) {
                block(variant, BLOCK, false);
            }
        }
        for (int done = 0; done < measured; done += BLOCK) {
            for (Variant variant : inTurn(done)) {
                block(variant, BLOCK, true);
            }
        }
        System.out.printf("put -> listener, %d warm-up and %d measured puts per variant, blocks of %d, %d cpus%n",
                warmup, measured, BLOCK, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-20s %10s %10s %10s %10s %10s | %-22s | %s%n", "variant", "p50 ms", "p90 ms", "p99 ms",
                "p99.9 ms", "max ms", "cold (first 500) p50/p99", "GC in measured blocks");
        for (Variant variant : this.variants.values()) {
            long[] warm = Arrays.copyOf(variant.samples, variant.count);
            Arrays.sort(warm);
            long[] cold = variant.cold.clone();
            Arrays.sort(cold);
            System.out.printf("%-20s %10.3f %10.3f %10.3f %10.3f %10.3f | %9.3f / %9.3f  | %d collections, %d ms%n",
                    variant.name, ms(warm, 0.50), ms(warm, 0.90), ms(warm, 0.99), ms(warm, 0.999), ms(warm, 1.0),
                    ms(cold, 0.50), ms(cold, 0.99), variant.gcCount, variant.gcMillis);
        }
    }

    /** The variants, in reverse order every other round, so that neither always runs right after the other. */
    private List<Variant> inTurn(int done) {
        List<Variant> order = new ArrayList<>(this.variants.values());
        if ((done / BLOCK) % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    private long[] block(Variant variant, int puts, boolean keep) throws Exception {
        long[] latencies = new long[puts];
        long gcCount = gcCount();
        long gcMillis = gcMillis();
        ByteSequence value = bytes("{\"Addr\":\"127.0.0.1:9090\"}");
        for (int i = 0; i < puts; i++) {
            ByteSequence key = bytes(variant.prefix + (i % 16));
            long start = System.nanoTime();
            this.kv.put(key, value).get(10, TimeUnit.SECONDS);
            Long arrival = variant.arrivals.poll(10, TimeUnit.SECONDS);
            if (arrival == null) {
                throw new IllegalStateException(variant.name + " did not see a put within 10 s");
            }
            latencies[i] = arrival - start;
        }
        if (keep) {
            System.arraycopy(latencies, 0, variant.samples, variant.count, puts);
            variant.count += puts;
            variant.gcCount += gcCount() - gcCount;
            variant.gcMillis += gcMillis() - gcMillis;
        }
        return latencies;
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans()
            .stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionCount)
            .sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans()
            .stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionTime)
            .sum();
    }

    private static final class Variant {

        final String name;

        final String prefix;

        final BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(1024);

        long[] samples = new long[1_000_000];

        int count;

        long[] cold;

        long gcCount;

        long gcMillis;

        Variant(String name, String prefix) {
            this.name = name;
            this.prefix = prefix;
        }
    }
}
