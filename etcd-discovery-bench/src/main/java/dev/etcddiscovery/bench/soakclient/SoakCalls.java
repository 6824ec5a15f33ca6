package dev.etcddiscovery.bench.soakclient;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.JMException;
import javax.management.ObjectName;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * Calls the standard gRPC health check (which grpc-spring servers answer) on every channel every 200 ms, at most
 * one call in flight per channel, and counts the outcomes; registered as the MBean
 * {@value #OBJECT_NAME}.
 */
public final class SoakCalls implements SoakCallsMBean, AutoCloseable {

    public static final String OBJECT_NAME = "dev.etcddiscovery.bench:type=SoakCalls";

    private static final long PERIOD_MILLIS = 200;

    private final List<Channel> channels;

    private final AtomicBoolean[] inFlight;

    private final AtomicBoolean[] answered;

    private final AtomicLong succeeded = new AtomicLong();

    private final AtomicLong failed = new AtomicLong();

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
        // not a daemon: it keeps the client JVM alive until the bench stops it
        return new Thread(task, "soak-calls");
    });

    private SoakCalls(List<Channel> channels) {
        this.channels = List.copyOf(channels);
        this.inFlight = new AtomicBoolean[channels.size()];
        this.answered = new AtomicBoolean[channels.size()];
        for (int i = 0; i < channels.size(); i++) {
            this.inFlight[i] = new AtomicBoolean();
            this.answered[i] = new AtomicBoolean();
        }
    }

    static SoakCalls start(List<Channel> channels) throws JMException {
        SoakCalls calls = new SoakCalls(channels);
        ManagementFactory.getPlatformMBeanServer().registerMBean(calls, new ObjectName(OBJECT_NAME));
        calls.ticker.scheduleAtFixedRate(calls::callEach, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return calls;
    }

    @Override
    public long getSucceeded() {
        return this.succeeded.get();
    }

    @Override
    public long getFailed() {
        return this.failed.get();
    }

    @Override
    public int getChannelsAnswered() {
        int count = 0;
        for (AtomicBoolean channel : this.answered) {
            count += channel.get() ? 1 : 0;
        }
        return count;
    }

    @Override
    public void close() throws JMException {
        this.ticker.shutdownNow();
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(OBJECT_NAME));
    }

    private void callEach() {
        for (int i = 0; i < this.channels.size(); i++) {
            if (this.inFlight[i].compareAndSet(false, true)) {
                call(i);
            }
        }
    }

    private void call(int index) {
        ClientCalls.asyncUnaryCall(
                this.channels.get(index)
                    .newCall(HealthGrpc.getCheckMethod(), CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS)),
                HealthCheckRequest.getDefaultInstance(), new StreamObserver<HealthCheckResponse>() {

                    @Override
                    public void onNext(HealthCheckResponse response) {
                        SoakCalls.this.answered[index].set(true);
                    }

                    @Override
                    public void onError(Throwable error) {
                        SoakCalls.this.failed.incrementAndGet();
                        SoakCalls.this.inFlight[index].set(false);
                    }

                    @Override
                    public void onCompleted() {
                        SoakCalls.this.succeeded.incrementAndGet();
                        SoakCalls.this.inFlight[index].set(false);
                    }
                });
    }
}
