package dev.etcddiscovery.spring.cloud;

import java.net.URI;
import java.util.Map;

import dev.etcddiscovery.registration.RegistrationHandle;
import dev.etcddiscovery.spring.registration.GrpcServerAutoRegistration;
import dev.etcddiscovery.spring.registration.GrpcServerEndpoint;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * Spring Cloud's {@link Registration} of the gRPC server this application registers in etcd: read from the
 * server's registration once it started (instance id = the key's last segment, {@code host:port}), from its
 * configuration before.
 */
public class EtcdRegistration implements Registration {

    private final GrpcServerAutoRegistration registration;

    private final GrpcServerEndpoint endpoint;

    public EtcdRegistration(GrpcServerAutoRegistration registration, GrpcServerEndpoint endpoint) {
        this.registration = registration;
        this.endpoint = endpoint;
    }

    /** The registered {@code host:port}, or null before the server registered. */
    @Override
    public String getInstanceId() {
        return this.registration.registration()
            .map(RegistrationHandle::key)
            .map((key) -> key.substring(key.lastIndexOf('/') + 1))
            .orElse(null);
    }

    @Override
    public String getServiceId() {
        return this.endpoint.service();
    }

    @Override
    public String getHost() {
        String addr = getInstanceId();
        if (addr == null) {
            return this.endpoint.host();
        }
        String host = addr.substring(0, addr.lastIndexOf(':'));
        return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public int getPort() {
        String addr = getInstanceId();
        if (addr == null) {
            return (this.endpoint.port() != null) ? this.endpoint.port() : 0;
        }
        return Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public URI getUri() {
        return URI.create("grpc://" + getInstanceId());
    }

    @Override
    public Map<String, String> getMetadata() {
        return Map.of(EtcdServiceInstances.GRPC_PORT, Integer.toString(getPort()));
    }
}
