/**
 * The {@code etcd.discovery.*} Micrometer meters of the resolver and the registration
 * ({@link dev.etcddiscovery.spring.metrics.EtcdDiscoveryMetrics}) and their bean
 * ({@link dev.etcddiscovery.spring.metrics.EtcdMetricsConfiguration}), which each line's
 * {@code EtcdMetricsAutoConfiguration} orders after its Boot's meter registry.
 */
package dev.etcddiscovery.spring.metrics;
