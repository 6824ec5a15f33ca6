package dev.etcddiscovery.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.internal.EndpointMetadata;
import dev.etcddiscovery.internal.MetadataFilter;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Status;

/**
 * Picks among the usable servers of an {@code etcd_routing} balancer. A call without a route goes by weight to the
 * servers of the client's zone while it has at least {@code zoneThreshold} of them, else to every zone; canaries
 * are left out. A call whose route header says {@code version=v2} goes by weight to the servers whose metadata
 * matches, canaries included, whatever their zone; when none matches it fails with UNAVAILABLE naming the route.
 */
final class RoutingPicker extends SubchannelPicker {

    /** Routes whose schedules are kept; a caller inventing routes per call gets them computed per call. */
    private static final int MAX_CACHED_ROUTES = 64;

    private final List<Server> servers;

    private final RoutingConfig config;

    /** The schedule of calls without a route, or null when every usable server is a canary. */
    private final Choice unrouted;

    private final Map<String, Choice> routed = new ConcurrentHashMap<>();

    /**
     * @param servers the usable servers, with their pickers and metadata; not empty
     * @param sequence the balancer's rotation, shared by its pickers
     */
    RoutingPicker(List<Server> servers, RoutingConfig config, AtomicInteger sequence) {
        this.servers = servers;
        this.config = config;
        this.unrouted = unrouted(servers, config, sequence);
    }

    @Override
    public PickResult pickSubchannel(PickSubchannelArgs args) {
        String route = args.getHeaders().get(this.config.routeHeader());
        if (route == null || route.isBlank()) {
            if (this.unrouted == null) {
                return PickResult.withError(Status.UNAVAILABLE.withDescription("etcd_routing: every usable server is "
                        + "a canary, which only calls with a " + this.config.routeHeader().name() + " header reach"));
            }
            return this.unrouted.pick(args);
        }
        Choice choice = this.routed.get(route);
        if (choice == null) {
            choice = routed(route);
            if (this.routed.size() < MAX_CACHED_ROUTES) {
                this.routed.put(route, choice);
            }
        }
        return choice.pick(args);
    }

    private Choice routed(String route) {
        MetadataFilter filter;
        try {
            filter = MetadataFilter.parse(route);
        }
        catch (IllegalArgumentException ex) {
            // dropped rather than failed: a wait-for-ready call would otherwise wait for a header that never changes.
            // INTERNAL, not INVALID_ARGUMENT: gRPC turns codes a load balancer may not use into INTERNAL anyway (A54)
            return new Choice(PickResult.withDrop(Status.INTERNAL.withDescription(
                    "etcd_routing: header " + this.config.routeHeader().name() + ": " + ex.getMessage())));
        }
        List<Server> matching = new ArrayList<>();
        for (Server server : this.servers) {
            if (filter.matches(server.metadata())) {
                matching.add(server);
            }
        }
        if (matching.isEmpty()) {
            return new Choice(PickResult.withError(Status.UNAVAILABLE.withDescription("etcd_routing: no usable "
                    + "server matches " + this.config.routeHeader().name() + ": " + filter + " (" + this.servers.size()
                    + " usable)")));
        }
        // a rotation of its own, so that routed calls do not shift the rotation of the others
        return new Choice(matching, new AtomicInteger(ThreadLocalRandom.current().nextInt()));
    }

    private static Choice unrouted(List<Server> servers, RoutingConfig config, AtomicInteger sequence) {
        List<Server> regular = new ArrayList<>();
        List<Server> local = new ArrayList<>();
        for (Server server : servers) {
            if (!server.metadata().canary()) {
                regular.add(server);
                if (config.zone() != null && config.zone().equals(server.metadata().zone())) {
                    local.add(server);
                }
            }
        }
        if (regular.isEmpty()) {
            return null;
        }
        return new Choice((local.size() >= config.zoneThreshold()) ? local : regular, sequence);
    }

    /** A usable server: the picker of its child balancer and what its metadata says. */
    record Server(SubchannelPicker picker, EndpointMetadata metadata) {
    }

    /** Servers picked by weight, or an error every call gets. */
    private static final class Choice {

        private final List<Server> servers;

        private final WeightedSchedule schedule;

        private final PickResult error;

        Choice(List<Server> servers, AtomicInteger sequence) {
            this.servers = servers;
            int[] weights = new int[servers.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = servers.get(i).metadata().weight();
            }
            this.schedule = new WeightedSchedule(weights, sequence);
            this.error = null;
        }

        Choice(PickResult error) {
            this.servers = List.of();
            this.schedule = null;
            this.error = error;
        }

        PickResult pick(PickSubchannelArgs args) {
            if (this.error != null) {
                return this.error;
            }
            return this.servers.get(this.schedule.next()).picker().pickSubchannel(args);
        }
    }
}
