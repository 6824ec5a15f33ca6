package dev.etcddiscovery.registration;

/** How a lease id is shown to people (logs, health, snapshots): as etcdctl shows it, so the two can be compared. */
final class LeaseIds {

    private LeaseIds() {
    }

    /** 16 hex digits, zero-padded, as {@code etcdctl lease list} prints it: {@code 0322a21d7155f706}. */
    static String toHex(long leaseId) {
        return String.format("%016x", leaseId);
    }
}
