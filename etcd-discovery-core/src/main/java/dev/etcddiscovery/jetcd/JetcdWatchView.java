package dev.etcddiscovery.jetcd;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;

import static io.etcd.jetcd.common.exception.EtcdExceptionFactory.newClosedWatchClientException;

/**
 * A client's own jetcd {@link Watch}, shared with the rest of the application, seen through a view whose
 * {@link #close()} closes only the watchers made through it: closing jetcd's watch itself would end the
 * application's watches on the same client too.
 */
final class JetcdWatchView implements Watch {

    private final Watch watch;

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    JetcdWatchView(Watch watch) {
        this.watch = watch;
    }

    @Override
    public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
        if (this.closed) {
            throw newClosedWatchClientException();
        }
        Watcher watcher = this.watch.watch(key, option, listener);
        this.watchers.add(watcher);
        // closed watchers are pruned here so that a long run of watch and close does not keep them all
        this.watchers.removeIf(Watcher::isClosed);
        if (this.closed) {
            watcher.close();
        }
        return watcher;
    }

    @Override
    public void requestProgress() {
        this.watchers.forEach(Watcher::requestProgress);
    }

    @Override
    public void close() {
        this.closed = true;
        this.watchers.forEach(Watcher::close);
        this.watchers.clear();
    }
}
