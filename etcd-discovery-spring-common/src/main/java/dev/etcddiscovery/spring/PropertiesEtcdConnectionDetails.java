package dev.etcddiscovery.spring;

import java.net.URI;
import java.util.List;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The default {@link EtcdConnectionDetails}: from {@code etcd.discovery.endpoints}, {@code username},
 * {@code password} and {@code ssl.*}. Its {@code toString()} names no secret.
 */
class PropertiesEtcdConnectionDetails implements EtcdConnectionDetails {

    private final EtcdDiscoveryProperties properties;

    private final SslBundles sslBundles;

    PropertiesEtcdConnectionDetails(EtcdDiscoveryProperties properties, SslBundles sslBundles) {
        this.properties = properties;
        this.sslBundles = sslBundles;
    }

    @Override
    public List<URI> getEndpoints() {
        return this.properties.getEndpoints();
    }

    @Override
    public String getUsername() {
        String username = this.properties.getUsername();
        return (username != null && !username.isBlank()) ? username : null;
    }

    @Override
    public String getPassword() {
        return (getUsername() != null) ? this.properties.getPassword() : null;
    }

    /** The bundle that {@code ssl.bundle} names or the PEM settings make, loaded, so that bad files name their key. */
    @Override
    public SslBundle getSslBundle() {
        return EtcdSslContextFactory.bundle(this.properties.getSsl(), this.sslBundles);
    }

    @Override
    public String toString() {
        return "PropertiesEtcdConnectionDetails[endpoints=" + getEndpoints() + "]";
    }
}
