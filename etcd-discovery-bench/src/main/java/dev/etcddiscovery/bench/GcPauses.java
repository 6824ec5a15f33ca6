package dev.etcddiscovery.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The garbage collection pauses of this JVM while open, from the collectors' notifications (young and full pauses
 * as the JVM's collector beans report them), so that latencies can be reported with and without the samples a
 * pause fell into.
 */
final class GcPauses implements AutoCloseable {

    private final AtomicLong count = new AtomicLong();

    private final AtomicLong totalMillis = new AtomicLong();

    private final AtomicLong maxMillis = new AtomicLong();

    private final List<NotificationEmitter> emitters = new ArrayList<>();

    private final NotificationListener listener = this::onNotification;

    private GcPauses() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this.listener, null, null);
                this.emitters.add(emitter);
            }
        }
    }

    /** Counts pauses from now until {@link #close()}. */
    static GcPauses watch() {
        return new GcPauses();
    }

    /** Collections so far in this JVM: a change during which this number moved overlapped a pause. */
    static long collections() {
        long collections = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, collector.getCollectionCount());
        }
        return collections;
    }

    /** E.g. "12 pauses, 34 ms in total, the longest 6 ms". */
    String describe() {
        return String.format(Locale.ROOT, "%d pauses, %d ms in total, the longest %d ms", this.count.get(),
                this.totalMillis.get(), this.maxMillis.get());
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : this.emitters) {
            try {
                emitter.removeNotificationListener(this.listener);
            }
            catch (ListenerNotFoundException ex) {
                // already gone: nothing left to remove
            }
        }
    }

    private void onNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        long millis = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo()
            .getDuration();
        this.count.incrementAndGet();
        this.totalMillis.addAndGet(millis);
        this.maxMillis.accumulateAndGet(millis, Math::max);
    }
}
