package dev.etcddiscovery.resolver;

import java.net.URI;
import java.util.function.Supplier;

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
 */
public class EtcdLoadBalancingConfigurer implements GrpcChannelConfigurer {

    private final Supplier<GrpcChannelsProperties> channels;

    private final String policy;

    /**
     * @param channels grpc-spring's channel properties, which say the address of each channel
     * @param policy the policy of etcd:/// channels (e.g. round_robin), or empty to leave grpc-spring's
     */
    public EtcdLoadBalancingConfigurer(Supplier<GrpcChannelsProperties> channels, String policy) {
        String name = (policy != null) ? policy.trim() : "";
        if (!name.isEmpty() && LoadBalancerRegistry.getDefaultRegistry().getProvider(name) == null) {
            throw new IllegalArgumentException("etcd.discovery.resolver.load-balancing-policy '" + name
                    + "' is not a load-balancing policy known to gRPC (e.g. round_robin, pick_first)");
        }
        this.channels = channels;
        this.policy = name;
    }

    @Override
    public void accept(ManagedChannelBuilder<?> builder, String name) {
        if (!this.policy.isEmpty() && isEtcdTarget(name)) {
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
