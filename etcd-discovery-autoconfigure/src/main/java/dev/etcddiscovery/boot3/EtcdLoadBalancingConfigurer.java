package dev.etcddiscovery.boot3;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;
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
 * With a health-check service name, etcd:/// channels get a default service config of the policy (etcd_routing or
 * round_robin) with a {@code healthCheckConfig}: calls then go only to servers whose standard health service says
 * SERVING. The same default service config carries etcd_routing's settings ({@code etcd.discovery.resolver.zone},
 * {@code .zone-threshold}, {@code .route-header}) when any is set. A channel configurer that runs later and sets its
 * own default service config replaces this one.
 */
public class EtcdLoadBalancingConfigurer implements GrpcChannelConfigurer {

    private final Supplier<GrpcChannelsProperties> channels;

    private final String policy;

    private final Map<String, ?> defaultServiceConfig;

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
        this(channels, EtcdChannelServiceConfig.of(policy, healthCheckServiceName));
    }

    /**
     * @param channels grpc-spring's channel properties, which say the address of each channel
     * @param config the policy, its settings and health checking of etcd:/// channels
     */
    public EtcdLoadBalancingConfigurer(Supplier<GrpcChannelsProperties> channels, EtcdChannelServiceConfig config) {
        this.channels = channels;
        this.policy = config.policy();
        this.defaultServiceConfig = config.defaultServiceConfig();
    }

    @Override
    public void accept(ManagedChannelBuilder<?> builder, String name) {
        if ((this.policy.isEmpty() && this.defaultServiceConfig == null) || !isEtcdTarget(name)) {
            return;
        }
        if (this.defaultServiceConfig != null) {
            builder.defaultServiceConfig(this.defaultServiceConfig);
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
