package dev.etcddiscovery.spring.cloud;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.internal.GrpcUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes a {@link HeartbeatEvent} when a followed service changes, so grpc-spring's {@code discovery:///}
 * channels and Spring Cloud LoadBalancer caches look again. Changes that come while an event is still waiting to be
 * published are carried by that one event. Events are published off the watch threads: their listeners read the
 * discovery client, which may wait for a first list.
 */
public class EtcdHeartbeatPublisher implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(EtcdHeartbeatPublisher.class);

    private final ApplicationEventPublisher publisher;

    private final ExecutorService executor = Executors
        .newSingleThreadExecutor(GrpcUtil.getThreadFactory("etcd-discovery-heartbeat", true));

    private final AtomicBoolean pending = new AtomicBoolean();

    private final AtomicLong changes = new AtomicLong();

    public EtcdHeartbeatPublisher(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** A followed service changed. */
    public void changed(String serviceId) {
        long state = this.changes.incrementAndGet();
        logger.debug("etcd service '{}' changed (change {})", serviceId, state);
        if (this.pending.compareAndSet(false, true)) {
            try {
                this.executor.execute(this::publish);
            }
            catch (RejectedExecutionException ex) {
                // closed: the application is shutting down
            }
        }
    }

    private void publish() {
        this.pending.set(false);
        this.publisher.publishEvent(new HeartbeatEvent(this, this.changes.get()));
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }
}
