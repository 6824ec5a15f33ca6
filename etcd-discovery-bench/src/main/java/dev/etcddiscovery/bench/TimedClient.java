package dev.etcddiscovery.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.etcddiscovery.test.ForwardingClient;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * A jetcd client that notes the moment jetcd hands each watch response to its listener, here the resolver's:
 * "resolver → listener" minus that moment is the resolver's own work, free of the scheduling noise between two
 * separate watches; and the moment each {@code get} is answered, which splits a resolver's first list into etcd's
 * answer and what the resolver does with it. Everything else is forwarded unchanged.
 */
final class TimedClient extends ForwardingClient {

    private volatile Expectation<WatchEvent> delivered = new Expectation<>((event) -> false);

    private volatile long lastGetAnswered;

    TimedClient(Client delegate) {
        super(delegate);
    }

    /** Arms an expectation for the events jetcd delivers from now on. */
    Expectation<WatchEvent> expectDelivery(Predicate<WatchEvent> condition) {
        Expectation<WatchEvent> next = new Expectation<>(condition);
        this.delivered = next;
        return next;
    }

    @Override
    public Watch getWatchClient() {
        Watch watch = delegate().getWatchClient();
        return new Watch() {

            @Override
            public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
                return watch.watch(key, option, new Listener() {

                    @Override
                    public void onNext(WatchResponse response) {
                        long now = System.nanoTime();
                        response.getEvents().forEach((event) -> TimedClient.this.delivered.offer(event, now));
                        listener.onNext(response);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        listener.onError(throwable);
                    }

                    @Override
                    public void onCompleted() {
                        listener.onCompleted();
                    }
                });
            }

            @Override
            public void requestProgress() {
                watch.requestProgress();
            }

            @Override
            public void close() {
                watch.close();
            }
        };
    }

    /** When jetcd completed the last {@code get} answered (System.nanoTime), 0 before any. */
    long lastGetAnswered() {
        return this.lastGetAnswered;
    }

    @Override
    public KV getKVClient() {
        KV kv = delegate().getKVClient();
        InvocationHandler stampGets = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(kv, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
            if (method.getName().equals("get") && result instanceof CompletableFuture<?> answer) {
                return answer.whenComplete((response, error) -> this.lastGetAnswered = System.nanoTime());
            }
            return result;
        };
        return (KV) Proxy.newProxyInstance(KV.class.getClassLoader(), new Class<?>[] { KV.class }, stampGets);
    }
}
