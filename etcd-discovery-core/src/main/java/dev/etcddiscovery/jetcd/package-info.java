/**
 * What to wrap a jetcd {@code Client} with, for the resolver and the registration alike:
 * {@link dev.etcddiscovery.jetcd.MultiplexedWatch}, a jetcd {@code Watch} that carries every watcher of a client on
 * one etcd watch stream and leaves nothing on etcd once a watcher is closed, and
 * {@link dev.etcddiscovery.jetcd.EtcdReconnectPacer}, which keeps the client's channel reconnecting at least every
 * second while etcd is unreachable.
 * <p>
 * Start reading at {@code MultiplexedWatch}: it opens a {@code MultiplexedStream} (one bidirectional etcd
 * {@code Watch} call) that routes etcd's answers to its {@code MultiplexedWatcher}s by watch id; {@code WatcherErrors}
 * are the exceptions a watcher ends with. When the client is not jetcd's own, {@code JetcdWatchView} stands in.
 */
package dev.etcddiscovery.jetcd;
