package dev.etcddiscovery.sample;

import java.util.concurrent.atomic.AtomicReference;

import dev.etcddiscovery.registration.EndpointRegistration;
import dev.etcddiscovery.registration.HostAddressDetector;
import dev.etcddiscovery.spring.registration.GrpcServerEndpoint;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The {@code host:port} this instance registers in etcd: the starter's own {@link GrpcServerEndpoint} when
 * registration is on, else the address it would register (configured host, or the detected one).
 */
@Component
@Profile("server")
class InstanceAddress {

    private final ObjectProvider<GrpcServerEndpoint> registered;

    private final String configuredHost;

    private final AtomicReference<String> address = new AtomicReference<>("starting");

    InstanceAddress(ObjectProvider<GrpcServerEndpoint> registered,
            @Value("${etcd.discovery.registration.host:}") String configuredHost) {
        this.registered = registered;
        this.configuredHost = configuredHost;
    }

    @EventListener
    void onServerStarted(GrpcServerStartedEvent event) {
        GrpcServerEndpoint endpoint = this.registered.getIfAvailable();
        if (endpoint != null) {
            this.address.set(endpoint.registrationFor(event.getPort()).address());
            return;
        }
        String host = this.configuredHost.isBlank() ? new HostAddressDetector().detectHost(true) : this.configuredHost;
        this.address.set(EndpointRegistration.address(host, event.getPort()));
    }

    String get() {
        return this.address.get();
    }
}
