package dev.etcddiscovery.registration;

import java.time.Duration;
import java.time.Instant;

/**
 * Read-only view of one registration at one moment, for health indicators, metrics and the actuator endpoint.
 *
 * @param key the etcd key, e.g. {@code greeter/10.0.0.5:9090}
 * @param leaseId the lease the registration holds, or 0 while none
 * @param ttl the lease time-to-live
 * @param state where the registration stands in its lease lifecycle
 * @param status whether it is wanted in rotation
 * @param ready whether the application accepts traffic (its readiness)
 * @param advertised whether the key is in etcd: a lease is held, the status is UP and the application is ready
 * @param lastRenewal when etcd last confirmed the lease (a keepalive answer or the grant), or null before that
 * @param lastError the last failed etcd step, described without secrets, or null
 * @param leaseRegrants how many times a new lease was granted after the previous one was lost
 * @param keepAliveFailures how many times the keepalive failed, ended or went silent for a whole TTL
 */
public record RegistrationSnapshot(String key, long leaseId, Duration ttl, RegistrationState state,
        RegistrationStatus status, boolean ready, boolean advertised, Instant lastRenewal, String lastError,
        long leaseRegrants, long keepAliveFailures) {

    /** The lease id as {@code etcdctl lease list} prints it (16 hex digits), or null while none is held. */
    public String leaseIdHex() {
        return (this.leaseId != 0) ? LeaseIds.toHex(this.leaseId) : null;
    }
}
