package dev.etcddiscovery.spring.resolver;

import java.util.List;
import java.util.Map;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;

/**
 * What {@code etcd.discovery.resolver.*} asks of {@code etcd:///} channels: a load-balancing policy and, with a
 * health-check service name, a default service config of round_robin with a {@code healthCheckConfig}. Checked
 * once, when built, with errors naming the property; each line's channel hook (grpc-spring's configurer, Spring
 * gRPC's customizers) applies it.
 */
public final class EtcdChannelServiceConfig {

    private static final String ROUND_ROBIN = "round_robin";

    /** grpc-services registers it as round_robin; without it, gRPC ignores a healthCheckConfig. */
    private static final String HEALTH_CHECKING_ROUND_ROBIN =
            "io.grpc.protobuf.services.internal.HealthCheckingRoundRobinLoadBalancerProvider";

    private final String policy;

    private final Map<String, ?> healthCheckedServiceConfig;

    private EtcdChannelServiceConfig(String policy, Map<String, ?> healthCheckedServiceConfig) {
        this.policy = policy;
        this.healthCheckedServiceConfig = healthCheckedServiceConfig;
    }

    /**
     * @param policy the policy of etcd:/// channels (e.g. round_robin), or empty to leave each channel's
     * @param healthCheckServiceName the service to ask each server's health service about ("" for the whole
     * server), or null for no health checking
     * @throws IllegalArgumentException naming the property when the policy is unknown to gRPC, or is not
     * round_robin while health checking is asked for
     * @throws IllegalStateException when health checking is asked for without io.grpc:grpc-services
     */
    public static EtcdChannelServiceConfig of(String policy, String healthCheckServiceName) {
        String name = (policy != null) ? policy.trim() : "";
        if (!name.isEmpty() && LoadBalancerRegistry.getDefaultRegistry().getProvider(name) == null) {
            throw new IllegalArgumentException("etcd.discovery.resolver.load-balancing-policy '" + name
                    + "' is not a load-balancing policy known to gRPC (e.g. round_robin, pick_first)");
        }
        return new EtcdChannelServiceConfig(name, (healthCheckServiceName != null)
                ? healthCheckedServiceConfig(name, healthCheckServiceName.trim()) : null);
    }

    private static Map<String, ?> healthCheckedServiceConfig(String policy, String serviceName) {
        if (!policy.isEmpty() && !ROUND_ROBIN.equals(policy)) {
            throw new IllegalArgumentException("etcd.discovery.resolver.health-check.service-name needs the "
                    + "round_robin policy, but etcd.discovery.resolver.load-balancing-policy is '" + policy + "'");
        }
        if (!roundRobinChecksHealth()) {
            throw new IllegalStateException("etcd.discovery.resolver.health-check.service-name needs "
                    + "io.grpc:grpc-services on the classpath: without it gRPC ignores health checking");
        }
        return Map.of("loadBalancingConfig", List.of(Map.of(ROUND_ROBIN, Map.of())),
                "healthCheckConfig", Map.of("serviceName", serviceName));
    }

    private static boolean roundRobinChecksHealth() {
        LoadBalancerProvider roundRobin = LoadBalancerRegistry.getDefaultRegistry().getProvider(ROUND_ROBIN);
        return roundRobin != null && roundRobin.getClass().getName().equals(HEALTH_CHECKING_ROUND_ROBIN);
    }

    /** The policy of etcd:/// channels, or empty to leave each channel's. */
    public String policy() {
        return this.policy;
    }

    /** The default service config that turns on health checking, or null without health checking. */
    public Map<String, ?> healthCheckedServiceConfig() {
        return this.healthCheckedServiceConfig;
    }

    /** Whether a channel built for {@code target} (a URI string) resolves through etcd. */
    public static boolean isEtcdTarget(String target) {
        return target != null && target.regionMatches(true, 0, EtcdNameResolverProvider.SCHEME + ":", 0,
                EtcdNameResolverProvider.SCHEME.length() + 1);
    }
}
