/**
 * Registration of the application's gRPC server, the same on both lines: start → lease → key → deregistration.
 * Start reading at {@link dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration}: each line's server events
 * call it once the server has bound its port and just before it shuts down, and it follows the application's
 * readiness through {@link dev.etcddiscovery.spring.registration.ReadinessRegistrationListener}. What is registered
 * (service name, host, port, value) is {@link dev.etcddiscovery.spring.registration.GrpcServerEndpoint}'s; the lease,
 * the key and their recovery are core's ({@code dev.etcddiscovery.registration.EtcdServiceRegistry}). The operator
 * controls are the {@code etcdregistration} endpoint ({@link dev.etcddiscovery.spring.registration.EtcdRegistrationEndpoint})
 * and the drain delay ({@link dev.etcddiscovery.spring.registration.DrainDelay}).
 */
package dev.etcddiscovery.spring.registration;
