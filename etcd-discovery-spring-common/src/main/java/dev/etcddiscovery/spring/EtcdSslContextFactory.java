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
 * The Netty {@link SslContext} that jetcd's gRPC channel uses for https endpoints: from the SSL bundle named by
 * {@code etcd.discovery.ssl.bundle}, else from the PEM settings, else the JVM's default trust store.
 */
final class EtcdSslContextFactory {

    private EtcdSslContextFactory() {
    }

    static SslContext create(EtcdDiscoveryProperties.Ssl ssl, SslBundles bundles) {
        try {
            return build(bundle(ssl, bundles));
        }
        catch (EtcdConfigurationException ex) {
            throw ex;
        }
        catch (SSLException | RuntimeException ex) {
            // Boot loads PEM and key stores lazily, so unreadable files surface here; causes name files, not keys
            throw new EtcdConfigurationException(source(ssl), "could not be used for TLS to etcd", ex);
        }
    }

    private static SslContext build(SslBundle bundle) throws SSLException {
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

    private static SslBundle bundle(EtcdDiscoveryProperties.Ssl ssl, SslBundles bundles) {
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
