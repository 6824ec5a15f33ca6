package dev.etcddiscovery.resolver;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannelBuilder;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;

/**
 * Makes {@code etcd.discovery.resolver.load-balancing-policy} the default load-balancing policy of grpc-spring's
 * {@code etcd:///} channels. grpc-spring sets each channel's {@code default-load-balancing-policy} before it runs
 * configurers, so this one wins over it; a {@code loadBalancingConfig} in the channel's default service config wins
 * over both, as does any setting of the channel's own configurers that run later.
 * <p>
 * The policy is the channel's default rather than part of a service config from the resolver, because a resolver's
 * service config would replace the channel's default service config: its retry policy, timeouts and
 * {@code healthCheckConfig} would be ignored.
 * <p>
 * With a health-check service name, etcd:/// channels get a default service config of round_robin with a
 * {@code healthCheckConfig}: grpc-services' health-checking round_robin then sends calls only to servers whose
 * standard health service says SERVING. A channel configurer that runs later and sets its own default service config
 * replaces this one.
 */
public class EtcdLoadBalancingConfigurer implements GrpcChannelConfigurer {

    private static final String ROUND_ROBIN = "round_robin";

    /** grpc-services registers it as round_robin; without it, gRPC ignores a healthCheckConfig. */
    private static final String HEALTH_CHECKING_ROUND_ROBIN =
            "io.grpc.protobuf.services.internal.HealthCheckingRoundRobinLoadBalancerProvider";

    private final Supplier<GrpcChannelsProperties> channels;

    private final String policy;

    private final Map<String, ?> healthCheckedServiceConfig;

    /**
     * @param channels grpc-spring's channel properties, which say the address of each channel
     * @param policy the policy of etcd:/// channels (e.g. round_robin), or empty to leave grpc-spring's
     */
    public EtcdLoadBalancingConfigurer(Supplier<GrpcChannelsProperties> channels, String policy) {
        this(channels, policy, null);
    }

    /**
     * @param channels grpc-spring's channel properties, which say the address of each channel
     * @param policy the policy of etcd:/// channels (e.g. round_robin), or empty to leave grpc-spring's
     * @param healthCheckServiceName the service to ask each server's health service about ("" for the whole
     * server), or null for no health checking
     */
    public EtcdLoadBalancingConfigurer(Supplier<GrpcChannelsProperties> channels, String policy,
            String healthCheckServiceName) {
        String name = (policy != null) ? policy.trim() : "";
        if (!name.isEmpty() && LoadBalancerRegistry.getDefaultRegistry().getProvider(name) == null) {
            throw new IllegalArgumentException("etcd.discovery.resolver.load-balancing-policy '" + name
                    + "' is not a load-balancing policy known to gRPC (e.g. round_robin, pick_first)");
        }
        this.channels = channels;
        this.policy = name;
        this.healthCheckedServiceConfig = (healthCheckServiceName != null)
                ? healthCheckedServiceConfig(name, healthCheckServiceName.trim()) : null;
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

    @Override
    public void accept(ManagedChannelBuilder<?> builder, String name) {
        if ((this.policy.isEmpty() && this.healthCheckedServiceConfig == null) || !isEtcdTarget(name)) {
            return;
        }
        if (this.healthCheckedServiceConfig != null) {
            builder.defaultServiceConfig(this.healthCheckedServiceConfig);
        }
        else {
            builder.defaultLoadBalancingPolicy(this.policy);
        }
    }

    /** Whether grpc-spring builds the channel for an etcd:/// target: its address, else the default scheme. */
    private boolean isEtcdTarget(String name) {
        GrpcChannelsProperties properties = this.channels.get();
        URI address = properties.getChannel(name).getAddress();
        String scheme = (address != null) ? address.getScheme() : properties.getDefaultScheme();
        return EtcdNameResolverProvider.SCHEME.equalsIgnoreCase(scheme);
    }
}
