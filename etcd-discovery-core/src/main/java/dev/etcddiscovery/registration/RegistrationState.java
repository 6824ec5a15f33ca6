package dev.etcddiscovery.registration;

/**
 * Where one registration stands in its lease lifecycle.
 */
public enum RegistrationState {

    /** First lease grant and put in progress (or being retried). */
    REGISTERING,

    /** The key is in etcd under a lease that is being kept alive. */
    REGISTERED,

    /** The lease was lost; a new lease is being granted and the key put again (retried forever). */
    RE_REGISTERING,

    /** Closed: the lease was revoked (or given up on at shutdown); nothing more happens. */
    DEREGISTERED
}
