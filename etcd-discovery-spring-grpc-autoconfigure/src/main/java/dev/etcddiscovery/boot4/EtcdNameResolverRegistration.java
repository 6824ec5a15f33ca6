package dev.etcddiscovery.boot4;

import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Puts the {@code etcd:///} provider into gRPC's default {@link NameResolverRegistry}, where Spring gRPC's channels
 * (built with {@code Grpc.newChannelBuilder}) look for it, and takes it out again when the context closes. Spring
 * gRPC ignores {@link NameResolverProvider} beans, so a bean alone would leave {@code etcd:///} targets unresolved.
 */
public class EtcdNameResolverRegistration implements InitializingBean, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(EtcdNameResolverRegistration.class);

    private final NameResolverProvider provider;

    private final NameResolverRegistry registry;

    public EtcdNameResolverRegistration(NameResolverProvider provider) {
        this(provider, NameResolverRegistry.getDefaultRegistry());
    }

    EtcdNameResolverRegistration(NameResolverProvider provider, NameResolverRegistry registry) {
        this.provider = provider;
        this.registry = registry;
    }

    @Override
    public void afterPropertiesSet() {
        NameResolverProvider existing = this.registry.getProviderForScheme(this.provider.getDefaultScheme());
        if (existing != null) {
            // the registry is one per JVM: with two contexts at once, the first one's provider serves both
            logger.warn("gRPC's default name resolver registry already has a provider for {}:/// ({}), which keeps "
                    + "resolving those targets while it is registered", this.provider.getDefaultScheme(), existing);
        }
        this.registry.register(this.provider);
    }

    @Override
    public void destroy() {
        this.registry.deregister(this.provider);
    }
}
