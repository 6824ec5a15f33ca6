package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.ByteSequence;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How lists reach subscribers around a new cluster's grace period, without etcd: the publisher runs on a real
 * synchronization context and scheduler, as in a watch.
 */
class EndpointPublisherTest {

    private static final Duration GRACE = Duration.ofSeconds(60);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    private final SynchronizationContext syncContext = new SynchronizationContext((thread, ex) -> {
        throw new AssertionError(ex);
    });

    private final EndpointTable table = new EndpointTable(new EndpointParser(null), new EndpointTable.HostLookup() {

        @Override
        public void lookUp(String key, String host) {
        }

        @Override
        public void cancel(String key) {
        }
    }, AllowedNetworks.ANY);

    private final EndpointPublisher publisher = new EndpointPublisher("svc/", this.table, GRACE,
            (task, delayNanos) -> this.syncContext.schedule(task, delayNanos, TimeUnit.NANOSECONDS, this.scheduler));

    private final List<List<EquivalentAddressGroup>> handedOut = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopScheduler() {
        this.scheduler.shutdownNow();
    }

    @Test
    void aBurstHeldBackBeforeAWipeDoesNotEndTheGracePeriodWithAnEmptyList() throws Exception {
        // a subscriber that takes 200 ms per list: the second change of a burst after it is held back that long
        this.syncContext.execute(() -> this.publisher.subscribe(new SlowSubscriber(this.handedOut, 200)));
        this.syncContext.execute(() -> {
            this.table.put("svc/a", value("10.0.0.1:80"), 1);
            this.publisher.listed(false, true);
            this.table.put("svc/b", value("10.0.0.2:80"), 2);
            this.publisher.tableChanged();
            this.table.put("svc/c", value("10.0.0.3:80"), 3);
            this.publisher.tableChanged();
            // the watch is lost and the new cluster lists the prefix empty: the grace period starts
            this.table.replaceAll(List.of());
            this.publisher.listed(true, true);
        });
        assertThat(this.handedOut).hasSize(2);

        awaitTimersDueWithin(Duration.ofSeconds(2));
        assertThat(this.handedOut).hasSize(2).allSatisfy((list) -> assertThat(list).isNotEmpty());
    }

    @Test
    void aChangeThatLeavesTheNewClusterEmptyKeepsThePreviousListAndOneWithEndpointsEndsTheGracePeriod() {
        this.syncContext.execute(() -> {
            this.publisher.subscribe(new SlowSubscriber(this.handedOut, 0));
            this.table.put("svc/a", value("10.0.0.1:80"), 1);
            this.publisher.listed(false, true);
            this.table.replaceAll(List.of());
            this.publisher.listed(true, true);

            this.table.put("svc/bad", ByteSequence.from("{not json", StandardCharsets.UTF_8), 2);
            this.publisher.tableChanged();
            this.table.put("svc/b", value("10.0.0.2:80"), 3);
            this.table.remove("svc/b");
            this.publisher.tableChanged();
        });
        assertThat(this.handedOut).hasSize(1);

        this.syncContext.execute(() -> {
            this.table.put("svc/c", value("10.0.0.3:80"), 4);
            this.publisher.tableChanged();
        });
        assertThat(this.handedOut).hasSize(2);
        assertThat(this.handedOut.get(1)).hasSize(1);
    }

    /** Waits until every timer due within {@code horizon} has run: the scheduler runs them in order of time. */
    private void awaitTimersDueWithin(Duration horizon) throws InterruptedException {
        CountDownLatch passed = new CountDownLatch(1);
        this.syncContext.schedule(passed::countDown, horizon.toNanos(), TimeUnit.NANOSECONDS, this.scheduler);
        assertThat(passed.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static ByteSequence value(String addr) {
        return ByteSequence.from("{\"Addr\":\"" + addr + "\"}", StandardCharsets.UTF_8);
    }

    /**
     * Keeps every list and takes {@code millis} to take in each one, like a load balancer of a large service on a
     * busy machine (the wait simulates work; nothing is synchronised by it).
     */
    private record SlowSubscriber(List<List<EquivalentAddressGroup>> lists, long millis)
            implements PrefixWatch.Subscriber {

        @Override
        public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
            this.lists.add(endpoints);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(this.millis));
        }

        @Override
        public void onError(Status error) {
            throw new AssertionError(error);
        }
    }
}
