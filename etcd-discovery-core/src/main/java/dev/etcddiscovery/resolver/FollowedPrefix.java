package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;

/**
 * A prefix followed through a {@link ServiceDirectory}'s shared watch, for code other than a gRPC channel (Spring
 * Cloud's discovery client): keeps the last endpoints the watch handed out, so reading them costs etcd nothing, and
 * tells a listener of every later list. {@link #close()} gives the watch back; the last user stops it.
 */
public final class FollowedPrefix implements AutoCloseable {

    private final ServiceDirectory directory;

    private final PrefixWatch watch;

    private final Consumer<List<EquivalentAddressGroup>> listener;

    private final CountDownLatch firstAnswer = new CountDownLatch(1);

    private final Subscriber subscriber = new Subscriber();

    private volatile List<EquivalentAddressGroup> endpoints = List.of();

    private volatile Status error;

    FollowedPrefix(ServiceDirectory directory, PrefixWatch watch, Consumer<List<EquivalentAddressGroup>> listener) {
        this.directory = directory;
        this.watch = watch;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    void start() {
        this.watch.subscribe(this.subscriber);
    }

    /** The followed prefix, e.g. {@code greeter/}. */
    public String prefix() {
        return this.watch.prefix();
    }

    /** The endpoints last handed out, with the {@link EtcdAttributes} of each; empty before the first list. */
    public List<EquivalentAddressGroup> endpoints() {
        return this.endpoints;
    }

    /**
     * Waits up to {@code timeout} for the first list of the prefix, or for the error that listing it met.
     * @return whether the prefix was listed (an empty list counts)
     */
    public boolean awaitFirstList(Duration timeout) throws InterruptedException {
        return this.firstAnswer.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && this.error == null;
    }

    @Override
    public void close() {
        this.watch.unsubscribe(this.subscriber);
        this.directory.release(this.watch);
    }

    private final class Subscriber implements PrefixWatch.Subscriber {

        @Override
        public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
            boolean first = FollowedPrefix.this.firstAnswer.getCount() > 0 && FollowedPrefix.this.error == null;
            FollowedPrefix.this.endpoints = endpoints;
            FollowedPrefix.this.error = null;
            FollowedPrefix.this.firstAnswer.countDown();
            if (!first) {
                FollowedPrefix.this.listener.accept(endpoints);
            }
        }

        @Override
        public void onError(Status error) {
            FollowedPrefix.this.error = error;
            FollowedPrefix.this.firstAnswer.countDown();
        }
    }
}
