package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.Client;
import io.grpc.EquivalentAddressGroup;

/**
 * One application of the fleet: its own jetcd {@link Client} (its own connection, its own watch stream), the
 * resolver stack as the starter wires it ({@link StarterDirectory}) and one channel's listener per followed service
 * ({@link ResolverProbe}).
 */
final class FleetClient implements AutoCloseable {

    private static final Duration FIRST_LIST_TIMEOUT = Duration.ofMinutes(1);

    private final Client client;

    private final StarterDirectory directory;

    private final List<ResolverProbe> probes = new ArrayList<>();

    private final List<Expectation<List<EquivalentAddressGroup>>> firstLists = new ArrayList<>();

    /** Starts following {@code services}; each first list is expected to hold {@code endpoints} addresses. */
    FleetClient(Client client, List<String> services, int endpoints) {
        this.client = client;
        this.directory = new StarterDirectory(client);
        for (String service : services) {
            Expectation<List<EquivalentAddressGroup>> first = new Expectation<>((list) -> list.size() == endpoints);
            this.firstLists.add(first);
            this.probes.add(ResolverProbe.start(this.directory.provider(), service, first));
        }
    }

    /** Waits until every followed service's first full list has reached its listener. */
    void awaitFirstLists() {
        this.firstLists.forEach((first) -> first.await(FIRST_LIST_TIMEOUT, "a fleet client's first list"));
    }

    /** The listener of the {@code service}-th followed service. */
    ResolverProbe probe(int service) {
        return this.probes.get(service);
    }

    /** What this client has of the {@code service}-th service, for a failure message. */
    String describe(int service) {
        ResolverProbe probe = this.probes.get(service);
        List<EquivalentAddressGroup> latest = probe.latest();
        return "its listener had " + probe.results() + " lists, the latest " + ((latest != null) ? latest.stream()
            .map((group) -> group.getAddresses().get(0).toString())
            .toList() : "none") + ", error " + probe.error() + "; its watches: "
                + this.directory.directory().snapshots();
    }

    @Override
    public void close() {
        this.probes.forEach(ResolverProbe::close);
        this.directory.close();
        this.client.close();
    }
}
