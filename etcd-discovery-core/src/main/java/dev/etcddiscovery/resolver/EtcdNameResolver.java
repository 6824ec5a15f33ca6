package dev.etcddiscovery.resolver;

import java.util.List;
import java.util.Map;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;

/**
 * The resolver of one channel's {@code etcd:///service} target: subscribes to the shared {@link PrefixWatch} of
 * the service's prefix and passes every list on to the channel, on the channel's {@link SynchronizationContext}.
 * Errors go to the channel's listener; nothing is thrown into gRPC.
 */
final class EtcdNameResolver extends NameResolver implements PrefixWatch.Subscriber {

    private final String service;

    private final String prefix;

    private final ServiceDirectory watches;

    private final SynchronizationContext syncContext;

    private final ConfigOrError serviceConfig;

    private final ConfigOrError noEndpointsServiceConfig;

    private Listener2 listener;

    private PrefixWatch watch;

    private boolean shutdown;

    /**
     * @param loadBalancingPolicy the policy for the service config, or empty to leave it to the channel
     */
    EtcdNameResolver(String service, String prefix, ServiceDirectory watches, Args args, String loadBalancingPolicy) {
        this.service = service;
        this.prefix = prefix;
        this.watches = watches;
        this.syncContext = args.getSynchronizationContext();
        this.serviceConfig = loadBalancingPolicy.isEmpty() ? null
                : args.getServiceConfigParser().parseServiceConfig(policy(loadBalancingPolicy));
        // round_robin keeps its READY connections when handed an empty list; switching to pick_first closes
        // them, so calls fail fast once every key is really gone instead of reaching deregistered servers
        this.noEndpointsServiceConfig = args.getServiceConfigParser().parseServiceConfig(policy("pick_first"));
    }

    @Override
    public String getServiceAuthority() {
        return this.service;
    }

    @Override
    public void start(Listener2 listener) {
        this.listener = listener;
        try {
            this.watch = this.watches.acquire(this.prefix);
        }
        catch (RuntimeException ex) {
            listener.onError(Status.UNAVAILABLE.withDescription(ex.getMessage()));
            return;
        }
        this.watch.subscribe(this);
    }

    @Override
    public void refresh() {
        if (this.watch != null) {
            this.watch.refresh();
        }
    }

    @Override
    public void shutdown() {
        if (this.shutdown) {
            return;
        }
        this.shutdown = true;
        if (this.watch != null) {
            this.watch.unsubscribe(this);
            this.watches.release(this.watch);
        }
    }

    @Override
    public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
        this.syncContext.execute(() -> {
            if (!this.shutdown) {
                this.listener.onResult2(result(endpoints));
            }
        });
    }

    @Override
    public void onError(Status error) {
        this.syncContext.execute(() -> {
            if (!this.shutdown) {
                this.listener.onError(error);
            }
        });
    }

    private ResolutionResult result(List<EquivalentAddressGroup> endpoints) {
        if (endpoints.isEmpty()) {
            return ResolutionResult.newBuilder()
                .setAddressesOrError(StatusOr.fromValue(endpoints))
                .setAttributes(Attributes.newBuilder()
                    .set(EtcdAttributes.NO_ENDPOINTS,
                            "no endpoints are registered under '" + this.prefix + "' in etcd")
                    .build())
                .setServiceConfig(this.noEndpointsServiceConfig)
                .build();
        }
        return ResolutionResult.newBuilder()
            .setAddressesOrError(StatusOr.fromValue(endpoints))
            .setServiceConfig(this.serviceConfig)
            .build();
    }

    private static Map<String, ?> policy(String name) {
        return Map.of("loadBalancingConfig", List.of(Map.of(name, Map.of())));
    }
}
