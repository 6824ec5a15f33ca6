/**
 * Load balancing by what servers say about themselves in etcd: the {@code etcd_routing} policy
 * ({@link dev.etcddiscovery.routing.EtcdRoutingLoadBalancerProvider}) spreads calls by {@code weight}, prefers the
 * client's {@code zone} and routes single calls by a header to the servers whose metadata matches.
 */
package dev.etcddiscovery.routing;
