/**
 * The Spring Boot 3.5 + grpc-spring line: only what differs from Boot 4.1, over {@code dev.etcddiscovery.spring}.
 * <ul>
 * <li>{@link dev.etcddiscovery.boot3.EtcdResolverAutoConfiguration}: the {@code etcd:///} provider as a bean for
 * grpc-spring's channels, and their load-balancing policy
 * ({@link dev.etcddiscovery.boot3.EtcdLoadBalancingConfigurer}).
 * <li>{@link dev.etcddiscovery.boot3.EtcdRegistrationAutoConfiguration}: registration of the grpc-spring server, on
 * its server events ({@link dev.etcddiscovery.boot3.GrpcSpringServerEvents}).
 * <li>{@link dev.etcddiscovery.boot3.EtcdHealthAutoConfiguration},
 * {@link dev.etcddiscovery.boot3.EtcdCloudHealthAutoConfiguration} and
 * {@link dev.etcddiscovery.boot3.EtcdMetricsAutoConfiguration}: Boot 3.5's health API and metrics ordering.
 * <li>{@link dev.etcddiscovery.boot3.Boot3StarterCheck}: one WARN when this line runs on Boot 4.
 * </ul>
 * The mixed io.grpc versions check of this line is in {@code dev.etcddiscovery.boot3.compatibility}.
 */
package dev.etcddiscovery.boot3;
