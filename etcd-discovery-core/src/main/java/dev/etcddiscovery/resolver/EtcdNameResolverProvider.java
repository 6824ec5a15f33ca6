package dev.etcddiscovery.resolver;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

import dev.etcddiscovery.internal.MetadataFilter;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

/**
 * Resolves {@code etcd:///service} targets to the endpoints stored under {@code <namespace>service/} in etcd.
 * <p>
 * With the starter this provider is a Spring bean, which grpc-spring registers for its channels. With plain
 * grpc-java, register it yourself:
 *
 * <pre>{@code
 * ServiceDirectory directory = ServiceDirectory.builder(client).build();
 * NameResolverRegistry.getDefaultRegistry().register(new EtcdNameResolverProvider(directory, ""));
 * ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///greeter")
 *     .defaultLoadBalancingPolicy("round_robin")
 *     .usePlaintext()
 *     .build();
 * }</pre>
 *
 * The resolver names no load-balancing policy: the channel's default service config or default policy decides.
 * A query on the target, {@code etcd:///greeter?version=v2}, keeps only the endpoints whose metadata has those
 * fields (several joined by {@code &}); when none has, the channel's calls fail with UNAVAILABLE naming the filter.
 */
public class EtcdNameResolverProvider extends NameResolverProvider {

    /** The URI scheme this provider resolves. */
    public static final String SCHEME = "etcd";

    private final ServiceDirectory directory;

    private final String namespace;

    /**
     * @param directory the shared watches (one per service)
     * @param namespace prefix of every service's keys, usually empty
     */
    public EtcdNameResolverProvider(ServiceDirectory directory, String namespace) {
        this.directory = directory;
        this.namespace = (namespace != null) ? namespace : "";
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equalsIgnoreCase(targetUri.getScheme())) {
            return null;
        }
        String service = serviceName(targetUri);
        return new EtcdNameResolver(service, this.namespace + service + "/", filter(targetUri), this.directory,
                args);
    }

    private static String serviceName(URI target) {
        if (target.getRawAuthority() != null && !target.getRawAuthority().isEmpty()) {
            throw invalid(target, "must not name an authority ('" + target.getRawAuthority() + "')");
        }
        if (target.getRawFragment() != null) {
            throw invalid(target, "must not have a fragment");
        }
        String path = target.getPath();
        if (path == null || !path.startsWith("/") || path.length() == 1) {
            throw invalid(target, "names no service");
        }
        String service = path.substring(1);
        if (service.contains("/")) {
            throw invalid(target, "has a service name with '/' ('" + service + "')");
        }
        return service;
    }

    /** The query of {@code etcd:///greeter?version=v2}: the metadata the channel's servers must have. */
    private static MetadataFilter filter(URI target) {
        try {
            return MetadataFilter.parse(target.getRawQuery());
        }
        catch (IllegalArgumentException ex) {
            throw invalid(target, "has a query that is not a metadata filter: " + ex.getMessage());
        }
    }

    private static IllegalArgumentException invalid(URI target, String problem) {
        return new IllegalArgumentException(
                "etcd target '" + target + "' " + problem + "; expected etcd:///<service>[?<metadata filter>], e.g. etcd:///greeter or "
                        + "etcd:///greeter?version=v2");
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    /** Below DNS (5), so that targets without a scheme keep resolving with DNS rather than etcd. */
    @Override
    protected int priority() {
        return 4;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }
}
