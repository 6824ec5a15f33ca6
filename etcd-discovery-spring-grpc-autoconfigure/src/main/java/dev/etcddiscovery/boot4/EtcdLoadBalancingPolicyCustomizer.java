package dev.etcddiscovery.boot4;

import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;
import io.grpc.ManagedChannelBuilder;

import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Makes {@code etcd.discovery.resolver.load-balancing-policy} the default load-balancing policy of Spring gRPC's
 * {@code etcd:///} channels. Spring Boot applies {@code spring.grpc.client.channel.<name>.default.load-balancing-policy}
 * before the customizer beans, so this one wins over it, as on the Boot 3.5 line; a {@code loadBalancingConfig} in
 * the channel's default service config wins over both.
 */
public class EtcdLoadBalancingPolicyCustomizer<T extends ManagedChannelBuilder<T>>
        implements GrpcChannelBuilderCustomizer<T> {

    private final EtcdChannelTargets targets;

    private final String policy;

    EtcdLoadBalancingPolicyCustomizer(EtcdChannelTargets targets, EtcdChannelServiceConfig config) {
        this.targets = targets;
        this.policy = config.policy();
    }

    @Override
    public void customize(String target, T builder) {
        if (!this.policy.isEmpty() && this.targets.isEtcd(target)) {
            builder.defaultLoadBalancingPolicy(this.policy);
        }
    }
}
