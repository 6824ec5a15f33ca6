package dev.etcddiscovery.spring.cloud;

import java.util.Arrays;
import java.util.Locale;

import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationStatus;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Spring Cloud's {@link ServiceRegistry} over {@link EtcdServiceRegistry}, for {@code /actuator/serviceregistry}:
 * the status is the registry's ({@code UP}, or {@code OUT_OF_SERVICE}: keys deleted, leases kept), the same switch
 * as the {@code etcdregistration} endpoint's. {@link #register} and {@link #deregister} do nothing: the gRPC
 * server's key follows the server's own lifecycle.
 */
public class EtcdCloudServiceRegistry implements ServiceRegistry<EtcdRegistration> {

    private final EtcdServiceRegistry registry;

    public EtcdCloudServiceRegistry(EtcdServiceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(EtcdRegistration registration) {
    }

    @Override
    public void deregister(EtcdRegistration registration) {
    }

    @Override
    public void close() {
    }

    /**
     * @throws IllegalArgumentException when {@code status} is neither UP nor OUT_OF_SERVICE
     */
    @Override
    public void setStatus(EtcdRegistration registration, String status) {
        this.registry.setStatus(parse(status));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(EtcdRegistration registration) {
        return (T) this.registry.status().name();
    }

    private static RegistrationStatus parse(String status) {
        String name = (status != null) ? status.trim().toUpperCase(Locale.ROOT) : "";
        return Arrays.stream(RegistrationStatus.values())
            .filter((candidate) -> candidate.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(
                    "status must be UP or OUT_OF_SERVICE, was '" + status + "'"));
    }
}
