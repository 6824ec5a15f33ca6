package dev.etcddiscovery.spring;

import java.net.URI;
import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where and how the application connects to etcd; the jetcd client is built from the one bean of this type. By
 * default it comes from the {@code etcd.discovery.*} properties; a bean of your own (a platform's service binding, a
 * test's etcd, a dev-time etcd) replaces them, in the way Spring Boot's {@code RedisConnectionDetails} replaces
 * {@code spring.data.redis.*}. Boot's {@link ConnectionDetails} is in the same package on Boot 3.5 and 4.1, so one
 * interface serves both lines.
 */
public interface EtcdConnectionDetails extends ConnectionDetails {

    /** etcd client URLs, e.g. {@code http://10.0.0.1:2379}; all http or all https. */
    List<URI> getEndpoints();

    /** etcd user name, when etcd has authentication enabled; {@code null} for none. */
    default String getUsername() {
        return null;
    }

    /** Password of {@link #getUsername()}; {@code null} for none. Never logged or shown. */
    default String getPassword() {
        return null;
    }

    /**
     * TLS to etcd: the trust material checks etcd's server certificate, the key store (if any) is the client
     * certificate for etcd's {@code --client-cert-auth}. {@code null} with https endpoints uses the JVM's default
     * trust store; a bundle turns TLS on whatever the endpoints' scheme (jetcd ignores the scheme).
     */
    default SslBundle getSslBundle() {
        return null;
    }

    /** Connection details of an etcd without authentication or client certificates at {@code endpoints}. */
    static EtcdConnectionDetails of(List<URI> endpoints) {
        List<URI> copy = List.copyOf(endpoints);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("etcd connection details need at least one endpoint");
        }
        return new FixedEtcdConnectionDetails(copy);
    }
}
