package dev.etcddiscovery.spring;

import java.util.Arrays;
import javax.net.ssl.SSLException;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The Netty {@link SslContext} that jetcd's gRPC channel uses for TLS: from an {@link SslBundle} (for the properties,
 * the one {@code etcd.discovery.ssl.bundle} names, else one made of the PEM settings), else the JVM's default trust
 * store.
 */
final class EtcdSslContextFactory {

    private EtcdSslContextFactory() {
    }

    /** @param bundle the TLS material, or null for the JVM's default trust store and no client certificate */
    static SslContext create(SslBundle bundle) throws SSLException {
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (bundle != null) {
            builder.trustManager(bundle.getManagers().getTrustManagerFactory());
            if (bundle.getStores().getKeyStore() != null) {
                builder.keyManager(bundle.getManagers().getKeyManagerFactory());
            }
            SslOptions options = bundle.getOptions();
            if (options.getCiphers() != null) {
                builder.ciphers(Arrays.asList(options.getCiphers()));
            }
            if (options.getEnabledProtocols() != null) {
                builder.protocols(options.getEnabledProtocols());
            }
        }
        return builder.build();
    }

    /**
     * The bundle of the {@code etcd.discovery.ssl.*} properties, or null when they set none; its stores are loaded
     * here (Boot loads PEM and key stores lazily), so that an unreadable file is reported with its property.
     */
    static SslBundle bundle(EtcdDiscoveryProperties.Ssl ssl, SslBundles bundles) {
        try {
            SslBundle bundle = configuredBundle(ssl, bundles);
            if (bundle != null) {
                bundle.getStores().getKeyStore();
                bundle.getStores().getTrustStore();
            }
            return bundle;
        }
        catch (EtcdConfigurationException ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            // causes name files, not keys
            throw new EtcdConfigurationException(source(ssl), "could not be used for TLS to etcd", ex);
        }
    }

    private static SslBundle configuredBundle(EtcdDiscoveryProperties.Ssl ssl, SslBundles bundles) {
        if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
            if (bundles == null) {
                throw new EtcdConfigurationException("ssl.bundle", "is set but no SslBundles bean exists");
            }
            try {
                return bundles.getBundle(ssl.getBundle());
            }
            catch (NoSuchSslBundleException ex) {
                throw new EtcdConfigurationException("ssl.bundle",
                        "names SSL bundle '" + ssl.getBundle() + "', which is not configured under spring.ssl.bundle.*", ex);
            }
        }
        if (!ssl.hasPem()) {
            return null;
        }
        PemSslStoreDetails keyStore = (ssl.getCertificate() != null)
                ? PemSslStoreDetails.forCertificate(ssl.getCertificate()).withPrivateKey(ssl.getPrivateKey()) : null;
        PemSslStoreDetails trustStore = (ssl.getCaCertificate() != null)
                ? PemSslStoreDetails.forCertificates(ssl.getCaCertificate()) : null;
        return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore));
    }

    private static String source(EtcdDiscoveryProperties.Ssl ssl) {
        if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
            return "ssl.bundle";
        }
        return ssl.hasPem() ? "ssl.ca-certificate/certificate/private-key" : "endpoints";
    }
}
