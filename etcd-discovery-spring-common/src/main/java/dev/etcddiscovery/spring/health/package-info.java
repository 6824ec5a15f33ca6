/**
 * What the {@code etcdDiscovery} health shows, without Spring Boot's health API, which moved between Boot 3.5 and
 * 4.1: {@link dev.etcddiscovery.spring.health.EtcdDiscoveryHealthReport}. Each line's {@code EtcdDiscoveryHealthIndicator}
 * turns a report into its Boot's {@code Health}.
 */
package dev.etcddiscovery.spring.health;
