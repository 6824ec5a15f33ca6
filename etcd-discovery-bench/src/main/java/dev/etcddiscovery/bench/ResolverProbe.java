package dev.etcddiscovery.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.NameResolver.ResolutionResult;
import io.grpc.Status;
import io.grpc.SynchronizationContext;

/**
 * Drives the etcd resolver the way a channel does (a {@link NameResolver} from the provider, its own
 * {@link SynchronizationContext}) and records when each address list reaches the channel's listener.
 */
final class ResolverProbe implements AutoCloseable {

    private final NameResolver resolver;

    private volatile Expectation<List<EquivalentAddressGroup>> expectation;

    private volatile List<EquivalentAddressGroup> latest;

    private volatile Status error;

    private final AtomicLong results = new AtomicLong();

    private ResolverProbe(NameResolver resolver) {
        this.resolver = resolver;
    }

    /** Starts resolving {@code etcd:///service}; {@code first} is offered the lists from the very first one on. */
    static ResolverProbe start(EtcdNameResolverProvider provider, String service,
            Expectation<List<EquivalentAddressGroup>> first) {
        NameResolver resolver = provider.newNameResolver(URI.create("etcd:///" + service), args());
        ResolverProbe probe = new ResolverProbe(resolver);
        probe.expectation = first;
        resolver.start(probe.new Listener());
        return probe;
    }

    /** Arms an expectation for the lists that arrive from now on. */
    Expectation<List<EquivalentAddressGroup>> expect(Predicate<List<EquivalentAddressGroup>> condition) {
        Expectation<List<EquivalentAddressGroup>> next = new Expectation<>(condition);
        this.expectation = next;
        return next;
    }

    List<EquivalentAddressGroup> latest() {
        return this.latest;
    }

    /** How many lists the listener received. */
    long results() {
        return this.results.get();
    }

    Status error() {
        return this.error;
    }

    @Override
    public void close() {
        this.resolver.shutdown();
    }

    /** Whether {@code endpoints} holds an address with {@code port}. */
    static boolean hasPort(List<EquivalentAddressGroup> endpoints, int port) {
        for (EquivalentAddressGroup group : endpoints) {
            if (((InetSocketAddress) group.getAddresses().get(0)).getPort() == port) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code endpoints} holds {@code host:port}. */
    static boolean hasAddress(List<EquivalentAddressGroup> endpoints, String host, int port) {
        for (EquivalentAddressGroup group : endpoints) {
            InetSocketAddress address = (InetSocketAddress) group.getAddresses().get(0);
            if (address.getPort() == port && address.getAddress().getHostAddress().equals(host)) {
                return true;
            }
        }
        return false;
    }

    /** What a channel passes: a synchronization context per channel and a service config parser. */
    private static NameResolver.Args args() {
        return NameResolver.Args.newBuilder()
            .setDefaultPort(443)
            .setProxyDetector((address) -> null)
            .setSynchronizationContext(new SynchronizationContext(
                    (thread, ex) -> System.err.println("Resolver callback failed: " + ex)))
            .setServiceConfigParser(new PassThroughServiceConfigParser())
            .build();
    }

    private final class Listener extends NameResolver.Listener2 {

        @Override
        public void onResult(ResolutionResult result) {
            onResult2(result);
        }

        @Override
        public Status onResult2(ResolutionResult result) {
            long now = System.nanoTime();
            List<EquivalentAddressGroup> addresses = result.getAddressesOrError().getValue();
            ResolverProbe.this.latest = addresses;
            ResolverProbe.this.results.incrementAndGet();
            ResolverProbe.this.expectation.offer(addresses, now);
            return Status.OK;
        }

        @Override
        public void onError(Status status) {
            ResolverProbe.this.error = status;
        }
    }

    /** The channel's parser validates the config; here it only has to be passed on. */
    private static final class PassThroughServiceConfigParser extends NameResolver.ServiceConfigParser {

        @Override
        public ConfigOrError parseServiceConfig(Map<String, ?> rawServiceConfig) {
            return ConfigOrError.fromConfig(rawServiceConfig);
        }
    }
}
