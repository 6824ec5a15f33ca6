/**
 * The Spring Boot 4.1 + Spring gRPC line: only what differs from Boot 3.5, over {@code dev.etcddiscovery.spring}.
 * <ul>
 * <li>{@link dev.etcddiscovery.boot4.EtcdResolverAutoConfiguration}: the {@code etcd:///} provider in gRPC's default
 * registry ({@link dev.etcddiscovery.boot4.EtcdNameResolverRegistration}), and Boot's channel customizers for the
 * load-balancing policy and health checking.
 * <li>{@link dev.etcddiscovery.boot4.EtcdRegistrationAutoConfiguration}: registration of the Spring gRPC server, on its
 * server events ({@link dev.etcddiscovery.boot4.SpringGrpcServerEvents}).
 * <li>{@link dev.etcddiscovery.boot4.EtcdHealthAutoConfiguration},
 * {@link dev.etcddiscovery.boot4.EtcdCloudHealthAutoConfiguration} and
 * {@link dev.etcddiscovery.boot4.EtcdMetricsAutoConfiguration}: Boot 4's health API and metrics ordering.
 * <li>{@link dev.etcddiscovery.boot4.Boot4StarterCheck}: a failure report when this line runs on Boot 3.
 * </ul>
 */
package dev.etcddiscovery.boot4;
