/**
 * The {@code etcd:///} resolver's Spring beans, the same on both lines: the
 * {@link dev.etcddiscovery.resolver.ServiceDirectory} and the name resolver provider on it
 * ({@link dev.etcddiscovery.spring.resolver.EtcdNameResolverConfiguration}), and the load-balancing and
 * health-checking service config of {@code etcd:///} channels
 * ({@link dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig}). How the provider reaches the gRPC
 * framework's channels is each line's ({@code EtcdResolverAutoConfiguration} in {@code dev.etcddiscovery.boot3} or
 * {@code boot4}); how a key becomes an address is core's ({@code dev.etcddiscovery.resolver}).
 */
package dev.etcddiscovery.spring.resolver;
