package dev.etcddiscovery.registration;

/**
 * Whether an operator (or the application's code) wants an endpoint in rotation. Independent of the lease: an
 * endpoint {@link #OUT_OF_SERVICE} keeps its lease alive, only its key is absent from etcd, so that putting it back
 * is one put.
 */
public enum RegistrationStatus {

    /** The key is in etcd while the application is ready. */
    UP,

    /** The key is deleted and stays deleted, also across lease losses and etcd restarts, until set {@link #UP}. */
    OUT_OF_SERVICE
}
