package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import dev.etcddiscovery.internal.LinkProbe;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.grpc.internal.BackoffPolicy;

/**
 * What the classes that keep one registered key in etcd share ({@link LeasedEndpoint}, {@link AdvertisedKey},
 * {@link OwnKeyGuard}): the key, its value and lease TTL, and the registry's client, watch source, limits and thread,
 * and the probe of etcd's link that vouches for a quiet watch of the key.
 *
 * @param client the jetcd client: leases and puts
 * @param keyWatchSource where the watch of the key comes from
 * @param key the key, namespace included
 * @param value the UTF-8 JSON value
 * @param ttlSeconds the lease TTL, also how often the key's watch must prove that it is alive
 * @param requestTimeout bound of every etcd request
 * @param executor the registry's single thread, where all registration state lives
 * @param backoff delays of retries
 * @param linkProbe proves etcd answers through the client's connection, for a watch that answers no progress request
 */
record KeySettings(Client client, Watch keyWatchSource, String key, byte[] value, long ttlSeconds,
        Duration requestTimeout, ScheduledExecutorService executor, BackoffPolicy.Provider backoff,
        LinkProbe linkProbe) {
}
