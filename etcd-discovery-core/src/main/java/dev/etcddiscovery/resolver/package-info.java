/**
 * The {@code etcd:///service} name resolver: from a key in etcd to the addresses of a gRPC channel.
 * <p>
 * What a user touches: {@link dev.etcddiscovery.resolver.ServiceDirectory} (built once per jetcd client with its
 * {@link dev.etcddiscovery.resolver.ServiceDirectory.Builder builder}), the
 * {@link dev.etcddiscovery.resolver.EtcdNameResolverProvider} registered with gRPC, and what they hand out:
 * {@link dev.etcddiscovery.resolver.EtcdAttributes} on each address group,
 * {@link dev.etcddiscovery.resolver.WatchSnapshot} for health and metrics,
 * {@link dev.etcddiscovery.resolver.FollowedPrefix} for code other than a channel, and
 * {@link dev.etcddiscovery.resolver.HostResolver} to look up host names another way.
 * <p>
 * How a key becomes an address, in reading order:
 * <ol>
 * <li>{@code EtcdNameResolverProvider} turns {@code etcd:///greeter} into an {@code EtcdNameResolver} for the prefix
 * {@code <namespace>greeter/}.</li>
 * <li>{@code ServiceDirectory} hands every channel of that prefix the same {@code PrefixWatch}, and closes it with
 * the last channel.</li>
 * <li>{@code PrefixWatch} lists the prefix ({@code PrefixReads}) and watches it from the list's revision + 1
 * ({@code ProgressCheckedWatch}, which must answer a progress request every check interval); it replaces a lost
 * watch with a new list and watch ({@code RelistDelays} says when) and tells a new or restored cluster from a lagging
 * member ({@code ClusterIdentity}).</li>
 * <li>{@code EndpointTable} keeps the endpoints by key: {@code EndpointParser} reads each value (etcd's naming JSON)
 * into an {@code Endpoint}; {@code HostLookups} resolves host names off jetcd's threads.</li>
 * <li>{@code EndpointPublisher} hands the table's address groups to the subscribers: at once, coalesced during a
 * burst ({@code BurstCoalescer}), or not while a new cluster's grace period keeps the last list
 * ({@code NewClusterGracePeriod}).</li>
 * <li>{@code EtcdNameResolver} passes each list to its channel's {@code NameResolver.Listener2}, keeping only the
 * endpoints whose metadata matches the target's query ({@code etcd:///greeter?version=v2}) when it has one.</li>
 * </ol>
 * Everything of one prefix runs on its watch's synchronization context; the directory owns the timer and lookup
 * threads.
 */
package dev.etcddiscovery.resolver;
