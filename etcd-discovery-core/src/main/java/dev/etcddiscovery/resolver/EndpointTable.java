package dev.etcddiscovery.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.common.net.InetAddresses;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.EquivalentAddressGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints under one prefix, by key: what a list and the watch events after it say, turned into the address
 * groups handed to gRPC. A key whose value cannot be used is left out with one WARN per bad value; a key whose
 * {@code Addr} names a host is left out until {@link #resolved its lookup} answers. Every change reports whether
 * the usable address groups changed.
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context.
 */
final class EndpointTable {

    /** Looks up the host names of endpoints, one lookup per key; answers with {@link EndpointTable#resolved}. */
    interface HostLookup {

        /** Looks up {@code host} for {@code key}, replacing a lookup of another host for the same key. */
        void lookUp(String key, String host);

        /** Stops looking up the host of {@code key}, if a lookup runs. */
        void cancel(String key);
    }

    private static final Logger logger = LoggerFactory.getLogger(EndpointTable.class);

    private final EndpointParser parser;

    private final HostLookup lookups;

    private final AllowedNetworks allowedNetworks;

    private final Map<String, Entry> entries = new HashMap<>();

    /** The usable groups in key order, kept as each key changes. */
    private final KeyOrderedGroups usable = new KeyOrderedGroups();

    /** The last unusable value of each key, so that a bad value is reported once, not at every list. */
    private final Map<String, ByteSequence> rejected = new HashMap<>();

    private long malformedSkipped;

    /** The keys left out because their address is outside the allowed networks, with the addresses reported. */
    private final Map<String, List<InetAddress>> outsideAllowedNetworks = new HashMap<>();

    private long rejectedOutsideAllowedNetworks;

    EndpointTable(EndpointParser parser, HostLookup lookups, AllowedNetworks allowedNetworks) {
        this.parser = parser;
        this.lookups = lookups;
        this.allowedNetworks = allowedNetworks;
    }

    /** Makes the table what a list of the prefix says: puts every listed key and removes every other one. */
    boolean replaceAll(List<KeyValue> kvs) {
        // the first list (the one a new channel waits for) has nothing to remove: no need to note what it listed
        Set<String> listed = (this.entries.isEmpty() && this.rejected.isEmpty()) ? null : new HashSet<>();
        boolean changed = false;
        for (KeyValue kv : kvs) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            if (listed != null) {
                listed.add(key);
            }
            changed |= put(key, kv.getValue(), kv.getModRevision());
        }
        if (listed != null) {
            this.rejected.keySet().retainAll(listed);
            for (String key : List.copyOf(this.entries.keySet())) {
                if (!listed.contains(key)) {
                    changed |= remove(key);
                }
            }
        }
        return changed;
    }

    /** Applies the puts and deletes of a watch response. */
    boolean apply(List<WatchEvent> events) {
        boolean changed = false;
        for (WatchEvent event : events) {
            KeyValue kv = event.getKeyValue();
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                changed |= put(key, kv.getValue(), kv.getModRevision());
            }
            else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                changed |= remove(key);
            }
        }
        return changed;
    }

    /** Records a key's value; a value already seen at the same revision is not parsed again. */
    boolean put(String key, ByteSequence value, long modRevision) {
        Entry existing = this.entries.get(key);
        if (existing != null && existing.endpoint.modRevision() == modRevision) {
            return false;
        }
        Endpoint endpoint;
        try {
            endpoint = this.parser.parse(key, value.getBytes(), modRevision);
        }
        catch (InvalidEndpointException ex) {
            if (!value.equals(this.rejected.put(key, value))) {
                this.malformedSkipped++;
                logger.warn(ex.getMessage());
            }
            return removeEntry(key);
        }
        this.rejected.remove(key);
        EquivalentAddressGroup group = addressGroup(endpoint, existing);
        if (existing != null && group != null && group.equals(existing.group)) {
            group = existing.group;
        }
        this.entries.put(key, new Entry(endpoint, group));
        this.usable.set(key, group);
        if (group != null || endpoint.isHostName()) {
            logger.debug("etcd key '{}' -> {}", key,
                    (group != null) ? group : "host " + endpoint.host() + ", looking it up");
        }
        return (existing == null || existing.group == null) ? group != null : !existing.group.equals(group);
    }

    /** Forgets a deleted key. */
    boolean remove(String key) {
        this.rejected.remove(key);
        boolean removed = removeEntry(key);
        if (removed) {
            logger.debug("etcd key '{}' deleted", key);
        }
        return removed;
    }

    /** Takes in the answer of a host lookup, if the key still names that host. */
    boolean resolved(String key, String host, List<InetAddress> addresses) {
        Entry entry = this.entries.get(key);
        if (entry == null || !entry.endpoint.isHostName() || !entry.endpoint.host().equals(host)) {
            return false;
        }
        EquivalentAddressGroup group = allowedGroup(entry.endpoint, addresses);
        if (group == null ? entry.group == null : group.equals(entry.group)) {
            return false;
        }
        this.entries.put(key, new Entry(entry.endpoint, group));
        this.usable.set(key, group);
        logger.debug("etcd key '{}' -> {}", key, group);
        return true;
    }

    /** The usable endpoints, in key order. */
    List<EquivalentAddressGroup> addressGroups() {
        return this.usable.groups();
    }

    boolean hasUsableEndpoints() {
        return !this.usable.isEmpty();
    }

    /** How many values could not be used, each bad value counted once. */
    long malformedSkipped() {
        return this.malformedSkipped;
    }

    /** How many times a key was left out because its address is outside the allowed networks. */
    long rejectedOutsideAllowedNetworks() {
        return this.rejectedOutsideAllowedNetworks;
    }

    /** How many keys are left out now because their address is outside the allowed networks. */
    int outsideAllowedNetworks() {
        return this.outsideAllowedNetworks.size();
    }

    /**
     * The group of a new value: built at once for an IP address; for a host name, the addresses already looked up
     * for the same host of the key, or null until its lookup answers.
     */
    private EquivalentAddressGroup addressGroup(Endpoint endpoint, Entry existing) {
        if (!endpoint.isHostName()) {
            this.lookups.cancel(endpoint.key());
            return allowedGroup(endpoint, List.of(endpoint.ipAddress()));
        }
        boolean sameHost = existing != null && existing.endpoint.isHostName()
                && existing.endpoint.host().equals(endpoint.host());
        if (sameHost && existing.group != null) {
            return endpoint.addressGroup(addressesOf(existing.group));
        }
        this.lookups.lookUp(endpoint.key(), endpoint.host());
        return null;
    }

    /**
     * The group of {@code addresses} inside the allowed networks, or null when none is. A host name's addresses are
     * checked as looked up: gRPC is handed those addresses, never the name, so it connects only where was checked.
     * Each key and set of addresses left out is reported with one WARN, not again at every list.
     */
    private EquivalentAddressGroup allowedGroup(Endpoint endpoint, List<InetAddress> addresses) {
        List<InetAddress> allowed = addresses.stream().filter(this.allowedNetworks::allows).toList();
        if (!allowed.isEmpty()) {
            this.outsideAllowedNetworks.remove(endpoint.key());
            return endpoint.addressGroup(allowed);
        }
        if (!addresses.equals(this.outsideAllowedNetworks.put(endpoint.key(), addresses))) {
            this.rejectedOutsideAllowedNetworks++;
            logger.warn("etcd key '{}' points at {} port {}, outside the allowed networks {}; leaving it out",
                    endpoint.key(), endpoint.isHostName()
                            ? endpoint.host() + " " + addresses.stream().map(InetAddresses::toAddrString).toList()
                            : InetAddresses.toAddrString(endpoint.ipAddress()),
                    endpoint.port(), this.allowedNetworks);
        }
        return null;
    }

    private boolean removeEntry(String key) {
        this.outsideAllowedNetworks.remove(key);
        this.lookups.cancel(key);
        Entry removed = this.entries.remove(key);
        if (removed != null && removed.group != null) {
            this.usable.set(key, null);
            return true;
        }
        return false;
    }

    private static List<InetAddress> addressesOf(EquivalentAddressGroup group) {
        List<InetAddress> addresses = new ArrayList<>();
        for (SocketAddress address : group.getAddresses()) {
            addresses.add(((InetSocketAddress) address).getAddress());
        }
        return addresses;
    }

    /** An endpoint and its address group; the group is null while the endpoint's host name is looked up. */
    private record Entry(Endpoint endpoint, EquivalentAddressGroup group) {
    }
}
