package dev.etcddiscovery.routing;

import io.grpc.LoadBalancer;
import io.grpc.protobuf.services.HealthCheckingLoadBalancerUtil;

/**
 * Client-side health checking from io.grpc:grpc-services, an optional dependency: this class is loaded only when
 * {@link #AVAILABLE} says it is there. Its {@code HealthCheckingLoadBalancerUtil} is {@code @ExperimentalApi}
 * (grpc-java#5025); it is what grpc-services' own round_robin is built with.
 */
final class HealthChecking {

    static final boolean AVAILABLE = isPresent();

    private HealthChecking() {
    }

    /** An {@link EtcdRoutingLoadBalancer} whose children are READY only while their server is SERVING. */
    static LoadBalancer wrap(LoadBalancer.Helper helper) {
        return HealthCheckingLoadBalancerUtil.newHealthCheckingLoadBalancer(new LoadBalancer.Factory() {
            @Override
            public LoadBalancer newLoadBalancer(LoadBalancer.Helper checkedHelper) {
                return new EtcdRoutingLoadBalancer(checkedHelper);
            }
        }, helper);
    }

    private static boolean isPresent() {
        try {
            Class.forName("io.grpc.protobuf.services.HealthCheckingLoadBalancerUtil", false,
                    HealthChecking.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }
}
