package dev.etcddiscovery.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.etcddiscovery.jetcd.MultiplexedWatch;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;

/**
 * Load on etcd and on this JVM while it is switched on: puts back-to-back (a fixed number in flight) to keys under
 * {@code churn/}, each delivered to as many watchers of that prefix in this JVM. Its own client; off until
 * {@link #active(boolean) switched on}.
 */
final class ChurnLoad implements AutoCloseable {

    static final String PREFIX = "churn/";

    private static final int KEYS = 1_000;

    private final Client client;

    private final Watch watch;

    private final List<Watch.Watcher> watchers = new ArrayList<>();

    private final int inFlight;

    private final Semaphore permits;

    private final Thread writer;

    private final AtomicLong puts = new AtomicLong();

    private final AtomicLong events = new AtomicLong();

    private volatile boolean active;

    private volatile boolean closed;

    ChurnLoad(EtcdCluster etcd, int watchers, int inFlight) {
        this.client = Etcd.client(etcd);
        this.watch = MultiplexedWatch.forClient(this.client);
        for (int i = 0; i < watchers; i++) {
            this.watchers.add(this.watch.watch(Etcd.bytes(PREFIX), WatchOption.builder().isPrefix(true).build(),
                    (response) -> this.events.addAndGet(response.getEvents().size())));
        }
        this.inFlight = inFlight;
        this.permits = new Semaphore(inFlight);
        this.writer = new Thread(this::write, "bench-churn-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Switches the load on, or off once the puts in flight have completed. */
    void active(boolean on) {
        this.active = on;
        if (!on) {
            this.permits.acquireUninterruptibly(this.inFlight);
            this.permits.release(this.inFlight);
        }
    }

    /** Puts completed so far. */
    long puts() {
        return this.puts.get();
    }

    /** Watch events the watchers received so far. */
    long events() {
        return this.events.get();
    }

    private void write() {
        long i = 0;
        while (!this.closed) {
            if (!this.active) {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            this.permits.acquireUninterruptibly();
            if (!this.active || this.closed) {
                this.permits.release();
                continue;
            }
            Etcd.put(this.client, PREFIX + "k-" + (i++ % KEYS), (int) (i % 60_000) + 1)
                .whenComplete((response, error) -> {
                    this.puts.incrementAndGet();
                    this.permits.release();
                });
        }
    }

    @Override
    public void close() {
        active(false);
        this.closed = true;
        this.watchers.forEach(Watch.Watcher::close);
        this.watch.close();
        this.client.close();
    }
}
