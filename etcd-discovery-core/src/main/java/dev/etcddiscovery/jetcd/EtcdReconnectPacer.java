package dev.etcddiscovery.jetcd;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.internal.JetcdInternals;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.impl.ClientImpl;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.internal.GrpcUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the jetcd client's gRPC channel trying to reconnect at least every second (or every
 * {@code maxRetryBackoff}, if shorter) while etcd is unreachable, so that once etcd is back the resolver and the
 * registration catch up within {@code maxRetryBackoff} + 1 s, however long the outage was.
 * <p>
 * Our own retries cannot do it alone: jetcd's calls wait for its channel to be ready, and the channel reconnects
 * after gRPC's backoff (1 s, growing 1.6 times per failed attempt, up to 2 minutes), which nothing resets. After a
 * minute without etcd its next attempt can be half a minute away. So, while the channel is in
 * {@link ConnectivityState#TRANSIENT_FAILURE}, this calls {@link ManagedChannel#resetConnectBackoff()} (gRPC's way to
 * reconnect now) once per interval, with jitter so that clients spread out; it stops when the channel leaves that
 * state. It never asks an idle channel to connect. The channel is found by {@link JetcdInternals}; without one, this
 * does nothing.
 */
public final class EtcdReconnectPacer implements AutoCloseable {

    /** The longest interval between two reconnect attempts: gRPC's own first backoff step. */
    static final Duration LONGEST_INTERVAL = Duration.ofSeconds(1);

    private static final Logger logger = LoggerFactory.getLogger(EtcdReconnectPacer.class);

    private final ManagedChannel channel;

    private final long intervalNanos;

    private final ScheduledThreadPoolExecutor executor;

    /** Confined to the executor, like everything below. */
    private ScheduledFuture<?> nextReset;

    private volatile boolean closed;

    EtcdReconnectPacer(ManagedChannel channel, Duration interval) {
        this.channel = channel;
        this.intervalNanos = interval.toNanos();
        this.executor = new ScheduledThreadPoolExecutor(1, GrpcUtil.getThreadFactory("etcd-reconnect-pacer", true));
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.execute(this::follow);
    }

    private EtcdReconnectPacer() {
        this.channel = null;
        this.intervalNanos = 0;
        this.executor = null;
    }

    /**
     * Paces the reconnects of {@code client}'s channel, at most {@code maxRetryBackoff} and at most
     * {@link #LONGEST_INTERVAL} apart; a pacer that does nothing when the channel cannot be reached.
     */
    public static EtcdReconnectPacer forClient(Client client, Duration maxRetryBackoff) {
        Duration interval = (maxRetryBackoff.compareTo(LONGEST_INTERVAL) < 0) ? maxRetryBackoff : LONGEST_INTERVAL;
        JetcdInternals.Result jetcd = JetcdInternals.of(client);
        if (jetcd.internals() != null) {
            return new EtcdReconnectPacer(jetcd.internals().channel(), interval);
        }
        if (client instanceof ClientImpl) {
            logger.warn("Could not reach the gRPC channel inside jetcd's client ({}); after a long etcd outage, "
                    + "reconnects follow gRPC's backoff (up to 2 minutes)", jetcd.missing());
        }
        else {
            logger.info("The etcd client is a {}, not jetcd's own: after a long etcd outage its reconnects follow "
                    + "gRPC's backoff (up to 2 minutes)", client.getClass().getName());
        }
        return new EtcdReconnectPacer();
    }

    /** Whether this pacer follows a channel, rather than doing nothing. */
    public boolean isPacing() {
        return this.channel != null && !this.closed;
    }

    /** Runs on the executor first and whenever the channel's state changed. */
    private void follow() {
        if (this.closed) {
            return;
        }
        ConnectivityState state = this.channel.getState(false);
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
            if (this.nextReset == null) {
                logger.debug("etcd is unreachable; reconnecting at least every {} ms",
                        TimeUnit.NANOSECONDS.toMillis(this.intervalNanos));
                scheduleReset();
            }
        }
        else {
            cancelReset();
        }
        if (state != ConnectivityState.SHUTDOWN) {
            this.channel.notifyWhenStateChanged(state, this::followLater);
        }
    }

    private void followLater() {
        try {
            this.executor.execute(this::follow);
        }
        catch (RejectedExecutionException ex) {
            // closed meanwhile
        }
    }

    private void resetBackoff() {
        this.nextReset = null;
        if (this.closed || this.channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
            return;
        }
        logger.debug("Reconnecting to etcd now rather than after gRPC's backoff");
        this.channel.resetConnectBackoff();
        scheduleReset();
    }

    private void scheduleReset() {
        long delay = (long) (this.intervalNanos * ThreadLocalRandom.current().nextDouble(0.8, 1.0));
        this.nextReset = this.executor.schedule(this::resetBackoff, delay, TimeUnit.NANOSECONDS);
    }

    private void cancelReset() {
        if (this.nextReset != null) {
            this.nextReset.cancel(false);
            this.nextReset = null;
        }
    }

    /** Stops pacing; the channel belongs to the jetcd client and stays open. */
    @Override
    public void close() {
        this.closed = true;
        if (this.executor != null) {
            this.executor.shutdownNow();
        }
    }
}
