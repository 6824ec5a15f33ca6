package dev.etcddiscovery.resolver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.grpc.EquivalentAddressGroup;

/**
 * The usable address groups of an {@link EndpointTable}, in key order, kept as each key changes: handing out a list
 * is then an array copy rather than a walk of the table (most of a change's cost with 10,000 endpoints).
 * <p>
 * etcd lists keys in order, so filling an empty table only appends. Other changes wait in {@link #unmerged} until
 * the list is read: one change (most watch responses carry one) is then made in place, more in one merge pass, so
 * that a watch response of k changes out of key order costs O(n + k log k), not k shifts of the arrays, O(k n)
 * (filling 100,000 endpoints from watch responses of many events was quadratic).
 * <p>
 * Not thread-safe: used only from a {@link PrefixWatch}'s synchronization context.
 */
final class KeyOrderedGroups {

    private List<String> keys = new ArrayList<>();

    private List<EquivalentAddressGroup> groups = new ArrayList<>();

    /** Changes not merged yet, by key; a null group: the key has none. */
    private final TreeMap<String, EquivalentAddressGroup> unmerged = new TreeMap<>();

    /** Records {@code key}'s usable group, or with null that it has none. */
    void set(String key, EquivalentAddressGroup group) {
        int last = this.keys.size() - 1;
        if (group != null && this.unmerged.isEmpty() && (last < 0 || this.keys.get(last).compareTo(key) < 0)) {
            this.keys.add(key);
            this.groups.add(group);
            return;
        }
        this.unmerged.put(key, group);
    }

    /** The groups in key order, a copy. */
    List<EquivalentAddressGroup> groups() {
        merge();
        return Collections.unmodifiableList(new ArrayList<>(this.groups));
    }

    boolean isEmpty() {
        merge();
        return this.groups.isEmpty();
    }

    private void merge() {
        if (this.unmerged.size() == 1) {
            Map.Entry<String, EquivalentAddressGroup> change = this.unmerged.pollFirstEntry();
            mergeOne(change.getKey(), change.getValue());
        }
        else if (!this.unmerged.isEmpty()) {
            mergeAll();
        }
    }

    private void mergeOne(String key, EquivalentAddressGroup group) {
        int at = Collections.binarySearch(this.keys, key);
        if (at >= 0) {
            if (group != null) {
                this.groups.set(at, group);
            }
            else {
                this.keys.remove(at);
                this.groups.remove(at);
            }
        }
        else if (group != null) {
            this.keys.add(-at - 1, key);
            this.groups.add(-at - 1, group);
        }
    }

    /** Walks the keys and the unmerged changes side by side, both in key order, into new lists. */
    private void mergeAll() {
        int size = this.keys.size() + this.unmerged.size();
        List<String> mergedKeys = new ArrayList<>(size);
        List<EquivalentAddressGroup> mergedGroups = new ArrayList<>(size);
        int i = 0;
        for (Map.Entry<String, EquivalentAddressGroup> change : this.unmerged.entrySet()) {
            while (i < this.keys.size() && this.keys.get(i).compareTo(change.getKey()) < 0) {
                mergedKeys.add(this.keys.get(i));
                mergedGroups.add(this.groups.get(i));
                i++;
            }
            if (i < this.keys.size() && this.keys.get(i).equals(change.getKey())) {
                i++;
            }
            if (change.getValue() != null) {
                mergedKeys.add(change.getKey());
                mergedGroups.add(change.getValue());
            }
        }
        mergedKeys.addAll(this.keys.subList(i, this.keys.size()));
        mergedGroups.addAll(this.groups.subList(i, this.groups.size()));
        this.keys = mergedKeys;
        this.groups = mergedGroups;
        this.unmerged.clear();
    }
}
