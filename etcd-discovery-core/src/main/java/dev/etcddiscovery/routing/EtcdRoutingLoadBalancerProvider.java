package dev.etcddiscovery.routing;

import java.util.Map;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;

/**
 * The {@code etcd_routing} load-balancing policy: calls spread in proportion to each server's {@code weight},
 * kept in the client's zone while it has enough usable servers, and routed per call by a header. Registered in
 * gRPC's {@code LoadBalancerRegistry} (META-INF/services), so a service config chooses it by name:
 *
 * <pre>{@code
 * {"loadBalancingConfig": [{"etcd_routing": {"zone": "eu-1a", "zoneThreshold": 2, "routeHeader": "x-etcd-route"}}]}
 * }</pre>
 *
 * Every field is optional: without {@code zone} zones are ignored; {@code zoneThreshold} defaults to 1 and
 * {@code routeHeader} to {@code x-etcd-route}. The servers' {@code zone}, {@code weight} and {@code canary} come
 * from their etcd {@code Metadata} ({@code EtcdAttributes.METADATA}). With every weight 1 and no zone it picks as
 * round_robin does. With io.grpc:grpc-services on the class path it honours the service config's
 * {@code healthCheckConfig} as round_robin does there.
 */
public final class EtcdRoutingLoadBalancerProvider extends LoadBalancerProvider {

    /** The policy's name in a service config. */
    public static final String POLICY_NAME = "etcd_routing";

    /** The header that routes a call unless the config names another. */
    public static final String DEFAULT_ROUTE_HEADER = "x-etcd-route";

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int getPriority() {
        return 5;
    }

    @Override
    public String getPolicyName() {
        return POLICY_NAME;
    }

    @Override
    public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
        return HealthChecking.AVAILABLE ? HealthChecking.wrap(helper) : new EtcdRoutingLoadBalancer(helper);
    }

    @Override
    public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
        try {
            return ConfigOrError.fromConfig(RoutingConfig.parse(rawConfig));
        }
        catch (IllegalArgumentException ex) {
            return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription(ex.getMessage()));
        }
    }
}
