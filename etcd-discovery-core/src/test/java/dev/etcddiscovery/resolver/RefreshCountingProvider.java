package dev.etcddiscovery.resolver;

import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

/**
 * Resolves {@code counted-etcd:///service} with the etcd resolver and counts how often gRPC asks the resolvers it
 * made to {@link NameResolver#refresh() refresh}: gRPC does so on every reconnect attempt of a subchannel.
 */
final class RefreshCountingProvider extends NameResolverProvider {

    static final String SCHEME = "counted-etcd";

    final AtomicInteger refreshes = new AtomicInteger();

    private final EtcdNameResolverProvider etcd;

    RefreshCountingProvider(EtcdNameResolverProvider etcd) {
        this.etcd = etcd;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        NameResolver resolver = this.etcd.newNameResolver(URI.create("etcd://" + targetUri.getRawSchemeSpecificPart()
            .substring(2)), args);
        return new NameResolver() {

            @Override
            public String getServiceAuthority() {
                return resolver.getServiceAuthority();
            }

            @Override
            public void start(Listener2 listener) {
                resolver.start(listener);
            }

            @Override
            public void refresh() {
                RefreshCountingProvider.this.refreshes.incrementAndGet();
                resolver.refresh();
            }

            @Override
            public void shutdown() {
                resolver.shutdown();
            }
        };
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 4;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return this.etcd.getProducedSocketAddressTypes();
    }
}
