package dev.etcddiscovery.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.test.FreePorts;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * A gRPC server (the standard health service) on a fixed loopback port that comes up and goes down again and again:
 * every client channel with its address connects, loses the connection, and reconnects — a reconnect storm.
 */
final class FlappingServer implements AutoCloseable {

    private final int port = FreePorts.next();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
        Thread thread = new Thread(task, "soak-flapping-server");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicInteger ups = new AtomicInteger();

    private final AtomicInteger failedStarts = new AtomicInteger();

    private ScheduledFuture<?> flapping;

    private Server server;

    int port() {
        return this.port;
    }

    /** Starts or stops the server every {@code half} period, from now until {@link #stopFlapping()}. */
    synchronized void startFlapping(Duration half) {
        this.flapping = this.timer.scheduleAtFixedRate(this::toggle, 0, half.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the flapping, and the server if it is up. */
    synchronized void stopFlapping() {
        if (this.flapping != null) {
            this.flapping.cancel(false);
            this.flapping = null;
        }
        try {
            this.timer.submit(this::shutdown).get(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not stop the flapping server on port " + this.port, ex);
        }
    }

    /** How often it came up, and how often it could not (port not free yet). */
    String describe() {
        return this.ups.get() + " times up" + ((this.failedStarts.get() > 0)
                ? ", " + this.failedStarts.get() + " starts failed (port still in use)" : "");
    }

    @Override
    public void close() {
        stopFlapping();
        this.timer.shutdownNow();
    }

    private void toggle() {
        if (this.server != null) {
            shutdown();
            return;
        }
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", this.port))
                .addService(new HealthStatusManager().getHealthService())
                .build()
                .start();
            this.ups.incrementAndGet();
        }
        catch (IOException ex) {
            this.failedStarts.incrementAndGet();
        }
    }

    private void shutdown() {
        if (this.server != null) {
            this.server.shutdownNow();
            try {
                this.server.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.server = null;
        }
    }
}
