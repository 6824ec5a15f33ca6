/**
 * The Spring code both Boot lines run, compiled once: the {@code etcd.discovery.*} properties
 * ({@link dev.etcddiscovery.spring.EtcdDiscoveryProperties}) and the etcd client built from them
 * ({@link dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration}, {@link dev.etcddiscovery.spring.EtcdClientFactory}),
 * the failure reports that name a property, and the check of the Boot generation a line serves.
 * <p>
 * Where to start: {@code EtcdDiscoveryAutoConfiguration}, then the line's own package ({@code dev.etcddiscovery.boot3}
 * for Boot 3.5 + grpc-spring, {@code dev.etcddiscovery.boot4} for Boot 4.1 + Spring gRPC), whose auto-configurations
 * import the {@code @Configuration} classes of the sub-packages here: {@code resolver} (a key in etcd becomes an
 * address in a channel), {@code registration} (the server's lease and key), {@code health}, {@code metrics} and
 * {@code cloud} (Spring Cloud's view). The etcd work itself is {@code etcd-discovery-core}'s.
 */
package dev.etcddiscovery.spring;
