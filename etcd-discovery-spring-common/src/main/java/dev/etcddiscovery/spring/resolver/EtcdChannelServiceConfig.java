package dev.etcddiscovery.spring.resolver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.routing.EtcdRoutingLoadBalancerProvider;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;

/**
 * What {@code etcd.discovery.resolver.*} asks of {@code etcd:///} channels: a load-balancing policy and, when the
 * policy needs settings (etcd_routing with a zone, a zone threshold or another route header) or a health-check
 * service name is set, a default service config with that policy's {@code loadBalancingConfig} and the
 * {@code healthCheckConfig}. Checked once, when built, with errors naming the property; each line's channel hook
 * (grpc-spring's configurer, Spring gRPC's customizers) applies it.
 */
public final class EtcdChannelServiceConfig {

    private static final String ROUND_ROBIN = "round_robin";

    private static final String ETCD_ROUTING = EtcdRoutingLoadBalancerProvider.POLICY_NAME;

    /** grpc-services registers it as round_robin; without it, gRPC ignores a healthCheckConfig. */
    private static final String HEALTH_CHECKING_ROUND_ROBIN =
            "io.grpc.protobuf.services.internal.HealthCheckingRoundRobinLoadBalancerProvider";

    /** What etcd_routing checks health with, when it is on the class path. */
    private static final String HEALTH_CHECKING_UTIL = "io.grpc.protobuf.services.HealthCheckingLoadBalancerUtil";

    private final String policy;

    private final Map<String, ?> defaultServiceConfig;

    private EtcdChannelServiceConfig(String policy, Map<String, ?> defaultServiceConfig) {
        this.policy = policy;
        this.defaultServiceConfig = defaultServiceConfig;
    }

    /**
     * @param policy the policy of etcd:/// channels (e.g. round_robin), or empty to leave each channel's
     * @param healthCheckServiceName the service to ask each server's health service about ("" for the whole
     * server), or null for no health checking
     * @throws IllegalArgumentException naming the property when the policy is unknown to gRPC, or is neither
     * round_robin nor etcd_routing while health checking is asked for
     * @throws IllegalStateException when health checking is asked for without io.grpc:grpc-services
     */
    public static EtcdChannelServiceConfig of(String policy, String healthCheckServiceName) {
        return of(policy, healthCheckServiceName, Map.of());
    }

    /** The settings of {@code etcd.discovery.resolver.*}; see {@link #of(String, String)}. */
    public static EtcdChannelServiceConfig of(EtcdDiscoveryProperties.Resolver resolver) {
        Map<String, Object> routing = new LinkedHashMap<>();
        if (resolver.getZone() != null && !resolver.getZone().isBlank()) {
            routing.put("zone", resolver.getZone().trim());
        }
        if (resolver.getZoneThreshold() != 1) {
            // a service config holds JSON values, whose numbers are Doubles
            routing.put("zoneThreshold", (double) resolver.getZoneThreshold());
        }
        if (resolver.getRouteHeader() != null && !resolver.getRouteHeader().equals(EtcdRoutingLoadBalancerProvider.DEFAULT_ROUTE_HEADER)) {
            routing.put("routeHeader", resolver.getRouteHeader());
        }
        return of(resolver.getLoadBalancingPolicy(), resolver.getHealthCheck().getServiceName(), routing);
    }

    private static EtcdChannelServiceConfig of(String policy, String healthCheckServiceName,
            Map<String, ?> routing) {
        String name = (policy != null) ? policy.trim() : "";
        if (!name.isEmpty() && LoadBalancerRegistry.getDefaultRegistry().getProvider(name) == null) {
            throw new IllegalArgumentException("etcd.discovery.resolver.load-balancing-policy '" + name
                    + "' is not a load-balancing policy known to gRPC (e.g. etcd_routing, round_robin, pick_first)");
        }
        Map<String, ?> policyConfig = ETCD_ROUTING.equals(name) ? routing : Map.of();
        if (healthCheckServiceName != null) {
            String checked = name.isEmpty() ? ROUND_ROBIN : name;
            requireHealthChecking(checked);
            return new EtcdChannelServiceConfig(name, serviceConfig(checked, policyConfig,
                    Map.of("serviceName", healthCheckServiceName.trim())));
        }
        return new EtcdChannelServiceConfig(name,
                policyConfig.isEmpty() ? null : serviceConfig(name, policyConfig, null));
    }

    private static Map<String, ?> serviceConfig(String policy, Map<String, ?> policyConfig,
            Map<String, ?> healthCheckConfig) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("loadBalancingConfig", List.of(Map.of(policy, policyConfig)));
        if (healthCheckConfig != null) {
            config.put("healthCheckConfig", healthCheckConfig);
        }
        return Map.copyOf(config);
    }

    private static void requireHealthChecking(String policy) {
        if (!ROUND_ROBIN.equals(policy) && !ETCD_ROUTING.equals(policy)) {
            throw new IllegalArgumentException("etcd.discovery.resolver.health-check.service-name needs the "
                    + "etcd_routing or round_robin policy, but etcd.discovery.resolver.load-balancing-policy is '"
                    + policy + "'");
        }
        if (!checksHealth(policy)) {
            throw new IllegalStateException("etcd.discovery.resolver.health-check.service-name needs "
                    + "io.grpc:grpc-services on the classpath: without it gRPC ignores health checking");
        }
    }

    private static boolean checksHealth(String policy) {
        if (ETCD_ROUTING.equals(policy)) {
            try {
                Class.forName(HEALTH_CHECKING_UTIL, false, EtcdChannelServiceConfig.class.getClassLoader());
                return true;
            }
            catch (ClassNotFoundException ex) {
                return false;
            }
        }
        LoadBalancerProvider roundRobin = LoadBalancerRegistry.getDefaultRegistry().getProvider(ROUND_ROBIN);
        return roundRobin != null && roundRobin.getClass().getName().equals(HEALTH_CHECKING_ROUND_ROBIN);
    }

    /** The policy of etcd:/// channels, or empty to leave each channel's. */
    public String policy() {
        return this.policy;
    }

    /**
     * The default service config of etcd:/// channels: the policy with its settings and, with health checking, the
     * {@code healthCheckConfig}; null when the policy's name alone says it all.
     */
    public Map<String, ?> defaultServiceConfig() {
        return this.defaultServiceConfig;
    }

    /** Whether a channel built for {@code target} (a URI string) resolves through etcd. */
    public static boolean isEtcdTarget(String target) {
        return target != null && target.regionMatches(true, 0, EtcdNameResolverProvider.SCHEME + ":", 0,
                EtcdNameResolverProvider.SCHEME.length() + 1);
    }
}
