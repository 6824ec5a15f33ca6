package dev.etcddiscovery.boot4;

import java.util.Map;

import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;

import org.springframework.boot.grpc.client.autoconfigure.GrpcClientDefaultServiceConfigCustomizer;
import org.springframework.core.Ordered;

/**
 * Turns on gRPC client-side health checking for Spring gRPC's {@code etcd:///} channels when
 * {@code etcd.discovery.resolver.health-check.service-name} is set: the policy (etcd_routing or round_robin) with a
 * {@code healthCheckConfig} in the channel's default service config; and gives etcd_routing its settings when
 * {@code etcd.discovery.resolver.zone}, {@code .zone-threshold} or {@code .route-header} is set. It only adds what
 * the channel's own service config leaves out, and runs last: {@code spring.grpc.client.channel.<name>.service-config.*}, {@code .health.*} and the application's own
 * customizers win.
 */
public class EtcdHealthCheckServiceConfigCustomizer implements GrpcClientDefaultServiceConfigCustomizer, Ordered {

    private final EtcdChannelTargets targets;

    private final Map<String, ?> defaultServiceConfig;

    EtcdHealthCheckServiceConfigCustomizer(EtcdChannelTargets targets, EtcdChannelServiceConfig config) {
        this.targets = targets;
        this.defaultServiceConfig = config.defaultServiceConfig();
    }

    @Override
    public void customize(String target, Map<String, Object> defaultServiceConfig) {
        if (this.defaultServiceConfig != null && this.targets.isEtcd(target)) {
            this.defaultServiceConfig.forEach(defaultServiceConfig::putIfAbsent);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
