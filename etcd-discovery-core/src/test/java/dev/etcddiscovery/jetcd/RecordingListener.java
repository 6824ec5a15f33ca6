package dev.etcddiscovery.jetcd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

/** Keeps everything a watch listener is told, for assertions; its lists are safe to read from the test thread. */
final class RecordingListener implements Watch.Listener {

    final List<WatchResponse> responses = new CopyOnWriteArrayList<>();

    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    final AtomicInteger completions = new AtomicInteger();

    /** Set when anything arrives after the listener was ended, which must not happen. */
    final List<String> afterEnd = new CopyOnWriteArrayList<>();

    @Override
    public void onNext(WatchResponse response) {
        checkNotEnded("onNext");
        this.responses.add(response);
    }

    @Override
    public void onError(Throwable throwable) {
        checkNotEnded("onError");
        this.errors.add(throwable);
    }

    @Override
    public void onCompleted() {
        checkNotEnded("onCompleted");
        this.completions.incrementAndGet();
    }

    private void checkNotEnded(String call) {
        if (!this.errors.isEmpty() || this.completions.get() > 0) {
            this.afterEnd.add(call);
        }
    }

    /** Every event received, in order. */
    List<WatchEvent> events() {
        return this.responses.stream().flatMap((response) -> response.getEvents().stream()).toList();
    }

    /** The keys of every event received, in order. */
    List<String> keys() {
        return events().stream().map((event) -> event.getKeyValue().getKey().toString(StandardCharsets.UTF_8)).toList();
    }

    /** Responses with no events: progress notifications. */
    List<WatchResponse> progress() {
        return this.responses.stream().filter(WatchResponse::isProgressNotify).toList();
    }

    boolean ended() {
        return !this.errors.isEmpty() || this.completions.get() > 0;
    }
}
