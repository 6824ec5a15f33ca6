package dev.etcddiscovery.spring.registration;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationSnapshot;
import dev.etcddiscovery.registration.RegistrationStatus;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/etcdregistration}: {@code GET} lists this application's registrations; {@code POST}
 * {@code {"status":"OUT_OF_SERVICE"}} takes all of them out of rotation (keys deleted, leases and server kept),
 * {@code {"status":"UP"}} puts them back. The status holds for registrations made later too, and across lost leases
 * and etcd restarts.
 */
@Endpoint(id = "etcdregistration")
public class EtcdRegistrationEndpoint {

    private final EtcdServiceRegistry registry;

    public EtcdRegistrationEndpoint(EtcdServiceRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public RegistrationsDescriptor registrations() {
        return new RegistrationsDescriptor(this.registry.status().name(),
                this.registry.registrations().stream().map(RegistrationDescriptor::of).toList());
    }

    @WriteOperation
    public RegistrationsDescriptor setStatus(String status) {
        this.registry.setStatus(parse(status));
        return registrations();
    }

    private static RegistrationStatus parse(String status) {
        String name = (status != null) ? status.trim().toUpperCase(Locale.ROOT) : "";
        return Arrays.stream(RegistrationStatus.values())
            .filter((candidate) -> candidate.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new InvalidEndpointRequestException(
                    "status must be UP or OUT_OF_SERVICE, was '" + status + "'", "Invalid status"));
    }

    /**
     * @param status the status set for every registration
     * @param registrations each registration
     */
    public record RegistrationsDescriptor(String status, List<RegistrationDescriptor> registrations) {
    }

    /**
     * One registration as an operator looks at it.
     * @param key the etcd key
     * @param address the registered {@code host:port}
     * @param status UP or OUT_OF_SERVICE
     * @param ready whether the application accepts traffic
     * @param inEtcd whether the key is in etcd now
     * @param state the lease lifecycle state
     * @param leaseId the lease as {@code etcdctl lease list} shows it, null while none is held
     * @param ttlSeconds the lease TTL
     * @param lastRenewal when etcd last confirmed the lease (ISO-8601), or null
     * @param lastError the last failed etcd step, or null
     */
    public record RegistrationDescriptor(String key, String address, String status, boolean ready, boolean inEtcd,
            String state, String leaseId, long ttlSeconds, String lastRenewal, String lastError) {

        static RegistrationDescriptor of(RegistrationSnapshot snapshot) {
            String key = snapshot.key();
            return new RegistrationDescriptor(key, key.substring(key.lastIndexOf('/') + 1), snapshot.status().name(),
                    snapshot.ready(), snapshot.advertised(), snapshot.state().name(), snapshot.leaseIdHex(),
                    snapshot.ttl().toSeconds(),
                    (snapshot.lastRenewal() != null) ? snapshot.lastRenewal().toString() : null,
                    snapshot.lastError());
        }
    }
}
