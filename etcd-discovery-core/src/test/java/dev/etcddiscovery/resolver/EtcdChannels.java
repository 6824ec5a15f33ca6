package dev.etcddiscovery.resolver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The plain grpc-java set-up of the README: a directory and a provider registered in gRPC's default registry, and
 * channels built by hand for {@code etcd:///} targets. Closing it shuts the channels down and unregisters the
 * provider.
 */
final class EtcdChannels implements AutoCloseable {

    private final ServiceDirectory watches;

    private final EtcdNameResolverProvider provider;

    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

    EtcdChannels(Client client, String namespace, Integer defaultPort) {
        this(client, namespace, defaultPort, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    EtcdChannels(Client client, String namespace, Integer defaultPort, Duration requestTimeout,
            Duration watchCheckInterval) {
        this(client, namespace, defaultPort, requestTimeout, watchCheckInterval,
                ServiceDirectory.DEFAULT_NEW_CLUSTER_GRACE_PERIOD);
    }

    EtcdChannels(Client client, String namespace, Integer defaultPort, Duration requestTimeout,
            Duration watchCheckInterval, Duration newClusterGracePeriod) {
        this(ServiceDirectory.builder(client)
            .defaultPort(defaultPort)
            .requestTimeout(requestTimeout)
            .watchCheckInterval(watchCheckInterval)
            .newClusterGracePeriod(newClusterGracePeriod), namespace);
    }

    EtcdChannels(ServiceDirectory.Builder directory, String namespace) {
        this.watches = directory.build();
        this.provider = new EtcdNameResolverProvider(this.watches, namespace);
        NameResolverRegistry.getDefaultRegistry().register(this.provider);
    }

    EtcdNameResolverProvider provider() {
        return this.provider;
    }

    ServiceDirectory watches() {
        return this.watches;
    }

    WatchSnapshot snapshot(String prefix) {
        return this.watches.snapshots().stream()
            .filter((snapshot) -> snapshot.prefix().equals(prefix))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no watch on " + prefix + " in " + this.watches.snapshots()));
    }

    /** A round-robin channel, as the starter's are by default. */
    ManagedChannel channel(String target) {
        return channel(NettyChannelBuilder.forTarget(target).defaultLoadBalancingPolicy("round_robin"));
    }

    ManagedChannel channel(NettyChannelBuilder builder) {
        ManagedChannel channel = builder.usePlaintext().build();
        this.channels.add(channel);
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : this.channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        NameResolverRegistry.getDefaultRegistry().deregister(this.provider);
        this.watches.close();
    }
}
