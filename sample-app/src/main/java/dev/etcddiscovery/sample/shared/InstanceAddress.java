package dev.etcddiscovery.sample.shared;

import java.util.concurrent.atomic.AtomicReference;

import dev.etcddiscovery.registration.EndpointRegistration;
import dev.etcddiscovery.registration.HostAddressDetector;
import dev.etcddiscovery.spring.registration.GrpcServerEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The {@code host:port} this instance registers in etcd: the starter's own {@link GrpcServerEndpoint} when
 * registration is on, else the address it would register (configured host, or the detected one). Each line tells it
 * the port its gRPC server bound, from its framework's server-started event.
 */
@Component
public class InstanceAddress {

    private final ObjectProvider<GrpcServerEndpoint> registered;

    private final String configuredHost;

    private final AtomicReference<String> address = new AtomicReference<>("starting");

    public InstanceAddress(ObjectProvider<GrpcServerEndpoint> registered,
            @Value("${etcd.discovery.registration.host:}") String configuredHost) {
        this.registered = registered;
        this.configuredHost = configuredHost;
    }

    /** Sets the address from {@code port}, the one the gRPC server bound. */
    public void serverStarted(int port) {
        GrpcServerEndpoint endpoint = this.registered.getIfAvailable();
        if (endpoint != null) {
            this.address.set(endpoint.registrationFor(port).address());
            return;
        }
        String host = this.configuredHost.isBlank() ? new HostAddressDetector().detectHost(true) : this.configuredHost;
        this.address.set(EndpointRegistration.address(host, port));
    }

    public String get() {
        return this.address.get();
    }
}
