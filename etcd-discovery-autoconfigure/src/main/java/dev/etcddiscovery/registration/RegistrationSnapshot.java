package dev.etcddiscovery.registration;

import java.time.Duration;

/**
 * Read-only view of one registration at one moment, for health indicators and metrics.
 *
 * @param key the etcd key, e.g. {@code greeter/10.0.0.5:9090}
 * @param leaseId the lease the key is attached to, or 0 while none is (shown in hex, as etcdctl shows it)
 * @param ttl the lease time-to-live
 * @param state where the registration stands
 * @param leaseRegrants how many times a new lease was granted after the previous one was lost
 * @param keepAliveFailures how many times the keepalive failed, ended or went silent for a whole TTL
 */
public record RegistrationSnapshot(String key, long leaseId, Duration ttl, RegistrationState state,
        long leaseRegrants, long keepAliveFailures) {

    /** The record's usual form, with the lease in hex as etcdctl shows it ({@code none} while there is none). */
    @Override
    public String toString() {
        String lease = (this.leaseId != 0) ? LeaseIds.toHex(this.leaseId) : "none";
        return "RegistrationSnapshot[key=" + this.key + ", leaseId=" + lease + ", ttl=" + this.ttl + ", state="
                + this.state + ", leaseRegrants=" + this.leaseRegrants + ", keepAliveFailures="
                + this.keepAliveFailures + "]";
    }
}
