/**
 * Spring Cloud's view of etcd ({@link dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration}): a
 * {@code DiscoveryClient} and a reactive one over the resolver's watches, heartbeats, and a {@code ServiceRegistry}
 * over this application's registrations. The etcd entry of the discovery health is each line's.
 */
package dev.etcddiscovery.spring.cloud;
