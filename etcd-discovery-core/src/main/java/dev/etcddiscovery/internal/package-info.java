/**
 * Not API: shared by etcd-discovery's own modules (the core packages and the Spring integrations) and public only
 * for them. Anything here may change or disappear in any release without notice; do not use it from applications.
 * <p>
 * {@code JetcdInternals} reaches the parts of jetcd's client that jetcd does not publish, {@code EtcdFailures}
 * describes failed etcd calls, {@code RetryBackoff} is gRPC's exponential backoff with a cap, and
 * {@code EndpointValueWriter} writes the endpoint values etcd's Go {@code endpoints} package writes;
 * {@code EndpointMetadata} reads the routing fields of an endpoint's metadata and {@code MetadataFilter} matches
 * them, for the resolver's target filter and the {@code etcd_routing} policy alike. {@code WatchLiveness} tells
 * whether a watch is still alive, for the resolver's watches and the registration's watch of its own key alike,
 * with a {@code LinkProbe} ({@code EtcdStatusProbe}) vouching for watches behind etcd's gRPC proxy.
 */
package dev.etcddiscovery.internal;
