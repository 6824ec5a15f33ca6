package dev.etcddiscovery.resolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.etcddiscovery.internal.EndpointMetadata;
import dev.etcddiscovery.internal.MetadataFilter;
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
 * <p>
 * A list with endpoints comes without a service config, so the channel's own applies: its default service config
 * (retry policy, timeouts, {@code healthCheckConfig}, load balancing) or else its default load-balancing policy.
 * {@link #refresh()} is left to {@link NameResolver}'s, which does nothing: the watch follows the service all along,
 * and gRPC's refreshes, one per reconnect attempt of a subchannel, must not cost etcd anything.
 */
final class EtcdNameResolver extends NameResolver implements PrefixWatch.Subscriber {

    private final String service;

    private final String prefix;

    private final MetadataFilter filter;

    private final ServiceDirectory directory;

    private final SynchronizationContext syncContext;

    private final ConfigOrError noEndpointsServiceConfig;

    private Listener2 listener;

    private PrefixWatch watch;

    private boolean shutdown;

    EtcdNameResolver(String service, String prefix, MetadataFilter filter, ServiceDirectory directory, Args args) {
        this.service = service;
        this.prefix = prefix;
        this.filter = filter;
        this.directory = directory;
        this.syncContext = args.getSynchronizationContext();
        // round_robin keeps its READY connections when handed an empty list (grpc 1.82's MultiChildLoadBalancer);
        // pick_first closes them, so calls fail fast once every key is really gone instead of reaching deregistered
        // servers. This config replaces the channel's only while the service has no endpoints to call.
        this.noEndpointsServiceConfig = args.getServiceConfigParser()
            .parseServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("pick_first", Map.of()))));
    }

    @Override
    public String getServiceAuthority() {
        return this.service;
    }

    @Override
    public void start(Listener2 listener) {
        this.listener = listener;
        try {
            this.watch = this.directory.acquire(this.prefix);
        }
        catch (RuntimeException ex) {
            listener.onError(Status.UNAVAILABLE.withDescription(ex.getMessage()));
            return;
        }
        this.watch.subscribe(this);
    }

    @Override
    public void shutdown() {
        if (this.shutdown) {
            return;
        }
        this.shutdown = true;
        if (this.watch != null) {
            this.watch.unsubscribe(this);
            this.directory.release(this.watch);
        }
    }

    @Override
    public void onEndpoints(List<EquivalentAddressGroup> endpoints) {
        this.syncContext.execute(() -> {
            if (!this.shutdown) {
                this.listener.onResult2(result(this.filter.isEmpty() ? endpoints : filtered(endpoints)));
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

    /** The endpoints whose metadata the target's query asks for. */
    private List<EquivalentAddressGroup> filtered(List<EquivalentAddressGroup> endpoints) {
        List<EquivalentAddressGroup> matching = new ArrayList<>();
        for (EquivalentAddressGroup endpoint : endpoints) {
            if (this.filter.matches(EndpointMetadata.of(endpoint.getAttributes().get(EtcdAttributes.METADATA)))) {
                matching.add(endpoint);
            }
        }
        return matching;
    }

    private ResolutionResult result(List<EquivalentAddressGroup> endpoints) {
        if (endpoints.isEmpty()) {
            String none = this.filter.isEmpty() ? "no endpoints are registered under '" + this.prefix + "' in etcd"
                    : "no endpoints under '" + this.prefix + "' in etcd match the filter '" + this.filter + "'";
            return ResolutionResult.newBuilder()
                .setAddressesOrError(StatusOr.fromValue(endpoints))
                .setAttributes(Attributes.newBuilder().set(EtcdAttributes.NO_ENDPOINTS, none).build())
                .setServiceConfig(this.noEndpointsServiceConfig)
                .build();
        }
        return ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(endpoints)).build();
    }
}
