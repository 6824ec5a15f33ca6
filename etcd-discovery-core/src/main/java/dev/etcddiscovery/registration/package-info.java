/**
 * Lease-based registration of gRPC endpoints: from an application's start to its key in etcd, and back out.
 * <p>
 * What a user touches: {@link dev.etcddiscovery.registration.EtcdServiceRegistry} (built with its
 * {@link dev.etcddiscovery.registration.EtcdServiceRegistry.Builder builder}) and the
 * {@link dev.etcddiscovery.registration.RegistrationHandle} each registration returns, with its
 * {@link dev.etcddiscovery.registration.RegistrationSnapshot},
 * {@link dev.etcddiscovery.registration.RegistrationState} and
 * {@link dev.etcddiscovery.registration.RegistrationStatus}; {@link dev.etcddiscovery.registration.EndpointRegistration}
 * says what to register, {@link dev.etcddiscovery.registration.HostAddressDetector} finds this machine's address,
 * {@link dev.etcddiscovery.registration.MetadataEncoding} how metadata is written, and
 * {@link dev.etcddiscovery.registration.ServerRegistrationLifecycle} ties a server's start and stop to its
 * registration for framework integrations.
 * <p>
 * The life of one key, in reading order:
 * <ol>
 * <li>Start: {@code ServerRegistrationLifecycle} registers once the server has bound its port and the application is
 * ready; {@code EtcdServiceRegistry#register} builds the key and value ({@code KeySettings}) and starts a
 * {@code LeasedEndpoint}.</li>
 * <li>Lease: {@code LeasedEndpoint} grants a lease ({@code LeaseRequests}), keeps it alive ({@code LeaseKeepAlive},
 * fed by {@code KeepAliveObserver}) and, when it is lost, grants a new one, retried with backoff
 * ({@code RegistrationRetries}).</li>
 * <li>Key: {@code AdvertisedKey} puts the key under the lease while the registration is up and the application
 * ready, and deletes it otherwise; while the key is in etcd, {@code OwnKeyGuard} watches it ({@code OwnKeyWatch}) and
 * puts it back when someone deletes or overwrites it, and replaces a watch that no longer proves it is alive (the
 * resolver's check, {@code dev.etcddiscovery.internal.WatchLiveness}).</li>
 * <li>Deregistration: closing the handle (or the server stopping, through {@code ServerRegistrationLifecycle}, within
 * its shutdown timeout) revokes the lease, which deletes the key.</li>
 * </ol>
 * All state of a registry lives on its single registration thread.
 */
package dev.etcddiscovery.registration;
