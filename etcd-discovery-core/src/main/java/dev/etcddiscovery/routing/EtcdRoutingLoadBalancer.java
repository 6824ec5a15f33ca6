package dev.etcddiscovery.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.internal.EndpointMetadata;
import dev.etcddiscovery.resolver.EtcdAttributes;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.util.MultiChildLoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code etcd_routing} policy: one pick_first child per endpoint, as round_robin has (grpc-java's
 * {@link MultiChildLoadBalancer} keeps them, keyed by address, so a change of metadata alone reuses the child and
 * its connection), and a {@link RoutingPicker} over the children that are READY (with health checking on, READY
 * means SERVING too: the health-checking wrapper holds a child back until its server says so).
 * <p>
 * Runs on the channel's synchronization context, as every load balancer does.
 */
final class EtcdRoutingLoadBalancer extends MultiChildLoadBalancer {

    private static final Logger logger = LoggerFactory.getLogger(EtcdRoutingLoadBalancer.class);

    private final AtomicInteger sequence = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    /** The metadata of each child, by its key; replaced whole by each resolution result. */
    private Map<Object, EndpointMetadata> metadata = Map.of();

    private RoutingConfig config = RoutingConfig.DEFAULT;

    EtcdRoutingLoadBalancer(Helper helper) {
        super(helper);
    }

    @Override
    public Status acceptResolvedAddresses(ResolvedAddresses resolvedAddresses) {
        Object config = resolvedAddresses.getLoadBalancingPolicyConfig();
        this.config = (config instanceof RoutingConfig routing) ? routing : RoutingConfig.DEFAULT;
        return super.acceptResolvedAddresses(resolvedAddresses);
    }

    @Override
    protected Map<Object, ResolvedAddresses> createChildAddressesMap(ResolvedAddresses resolvedAddresses) {
        Map<Object, ResolvedAddresses> children = super.createChildAddressesMap(resolvedAddresses);
        Map<Object, EndpointMetadata> read = new HashMap<>();
        children.forEach((key, addresses) -> {
            var group = addresses.getAddresses().get(0);
            EndpointMetadata endpoint = EndpointMetadata.of(group.getAttributes().get(EtcdAttributes.METADATA));
            EndpointMetadata before = this.metadata.get(key);
            if (endpoint.weightError() != null
                    && (before == null || !endpoint.weightError().equals(before.weightError()))) {
                logger.warn("etcd endpoint '{}': {}; using weight {}", group.getAttributes().get(EtcdAttributes.ETCD_KEY),
                        endpoint.weightError(), EndpointMetadata.DEFAULT_WEIGHT);
            }
            read.put(key, endpoint);
        });
        this.metadata = read;
        return children;
    }

    @Override
    protected ChildLbState createChildLbState(Object key) {
        return new ChildLbState(key, this.pickFirstLbProvider) {
            @Override
            protected ChildLbStateHelper createChildHelper() {
                return new ChildLbStateHelper() {
                    @Override
                    public void updateBalancingState(ConnectivityState newState, SubchannelPicker newPicker) {
                        super.updateBalancingState(newState, newPicker);
                        // as round_robin does: keep a connection to every server, not only to those picked
                        if (!EtcdRoutingLoadBalancer.this.resolvingAddresses && newState == ConnectivityState.IDLE) {
                            getLb().requestConnection();
                        }
                    }
                };
            }
        };
    }

    @Override
    protected void updateOverallBalancingState() {
        if (getChildLbStates().isEmpty()) {
            return;
        }
        List<RoutingPicker.Server> ready = new ArrayList<>();
        boolean connecting = false;
        for (ChildLbState child : getChildLbStates()) {
            ConnectivityState state = child.getCurrentState();
            if (state == ConnectivityState.READY) {
                ready.add(new RoutingPicker.Server(child.getCurrentPicker(), metadataOf(child)));
            }
            connecting |= (state == ConnectivityState.CONNECTING || state == ConnectivityState.IDLE);
        }
        if (!ready.isEmpty()) {
            update(ConnectivityState.READY, new RoutingPicker(ready, this.config, this.sequence));
        }
        else if (connecting) {
            update(ConnectivityState.CONNECTING, new FixedResultPicker(PickResult.withNoResult()));
        }
        else {
            // as round_robin does: every child is failing, and its picker says why
            List<RoutingPicker.Server> failing = new ArrayList<>();
            for (ChildLbState child : getChildLbStates()) {
                failing.add(new RoutingPicker.Server(child.getCurrentPicker(), EndpointMetadata.NONE));
            }
            update(ConnectivityState.TRANSIENT_FAILURE, new RoutingPicker(failing, RoutingConfig.DEFAULT,
                    this.sequence));
        }
    }

    private EndpointMetadata metadataOf(ChildLbState child) {
        return this.metadata.getOrDefault(child.getKey(), EndpointMetadata.NONE);
    }

    private void update(ConnectivityState state, SubchannelPicker picker) {
        this.currentConnectivityState = state;
        getHelper().updateBalancingState(state, picker);
    }
}
