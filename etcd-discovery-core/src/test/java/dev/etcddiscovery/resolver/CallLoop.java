package dev.etcddiscovery.resolver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Channel;

/** Calls a channel in a loop on its own thread, counting successes and keeping every failure. */
final class CallLoop implements AutoCloseable {

    final AtomicInteger successes = new AtomicInteger();

    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    volatile int lastPort;

    private final Thread thread;

    private volatile boolean running = true;

    CallLoop(Channel channel) {
        this.thread = new Thread(() -> {
            while (this.running) {
                try {
                    this.lastPort = PortServer.call(channel);
                    this.successes.incrementAndGet();
                }
                catch (RuntimeException ex) {
                    this.failures.add(ex);
                }
            }
        }, "call-loop");
        this.thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        this.running = false;
        this.thread.join();
    }
}
