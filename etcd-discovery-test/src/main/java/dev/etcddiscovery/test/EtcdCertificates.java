package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority with a server certificate for 127.0.0.1/localhost and a client certificate,
 * generated with {@code openssl} into a temporary directory: the TLS material of an etcd started with
 * {@link EtcdClusterBuilder#tls(EtcdCertificates)}. Keys are unencrypted PKCS#8 PEM files (EC P-256). The same CA
 * {@link #issue(String) issues} certificates for gRPC services, for tests of TLS between services.
 */
public final class EtcdCertificates {

    private static final String OPENSSL = "openssl";

    private final Path dir;

    private int issued;

    private EtcdCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Generates a new CA, a server certificate (SAN IP:127.0.0.1, DNS:localhost) and a client certificate whose
     * common name is {@code clientCommonName} (with {@code --client-cert-auth} and no password, etcd takes the
     * common name as the user name).
     */
    public static EtcdCertificates generate(String clientCommonName) {
        try {
            Path dir = Files.createTempDirectory("etcd-tls-");
            EtcdCertificates certificates = new EtcdCertificates(dir);
            certificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-subj", "/CN=etcd-test-ca", "-days", "2", "-keyout", "ca.key", "-out", "ca.crt");
            Files.writeString(dir.resolve("server.ext"),
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
            Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
            certificates.issue("server", "etcd-test-server");
            certificates.issue("client", clientCommonName);
            return certificates;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not generate test certificates", ex);
        }
    }

    /** The CA certificate (PEM) that signed both the server and the client certificate. */
    public Path caCertificate() {
        return this.dir.resolve("ca.crt");
    }

    /** The server certificate (PEM), valid for 127.0.0.1 and localhost. */
    public Path serverCertificate() {
        return this.dir.resolve("server.crt");
    }

    /** The server's private key (PKCS#8 PEM). */
    public Path serverKey() {
        return this.dir.resolve("server.key");
    }

    /** The client certificate (PEM). */
    public Path clientCertificate() {
        return this.dir.resolve("client.crt");
    }

    /** The client's private key (PKCS#8 PEM). */
    public Path clientKey() {
        return this.dir.resolve("client.key");
    }

    /**
     * Issues a certificate whose only subject alternative name is {@code DNS:<name>}, good for server and client
     * authentication: what the servers of gRPC service {@code name} present (a channel to {@code etcd:///name}
     * checks that name), or what a client called {@code name} presents to servers that require client certificates.
     */
    public synchronized Issued issue(String name) {
        String file = "issued-" + (++this.issued);
        try {
            Files.writeString(this.dir.resolve(file + ".ext"),
                    "subjectAltName=DNS:" + name + "\nextendedKeyUsage=serverAuth,clientAuth\n");
            issue(file, name);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not issue a certificate for " + name, ex);
        }
        return new Issued(this.dir.resolve(file + ".crt"), this.dir.resolve(file + ".key"));
    }

    /**
     * A certificate issued by this CA and its key.
     * @param certificate the certificate (PEM)
     * @param privateKey its private key (PKCS#8 PEM)
     */
    public record Issued(Path certificate, Path privateKey) {
    }

    /** A JDK {@link SSLContext} trusting the CA and, when {@code withClientCertificate}, presenting the client certificate. */
    SSLContext sslContext(boolean withClientCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", readCertificate(caCertificate()));
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            if (withClientCertificate) {
                keys.setKeyEntry("client", readPrivateKey(clientKey()), new char[0],
                        new Certificate[] { readCertificate(clientCertificate()) });
            }
            keyManagers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        }
        catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException("Could not build an SSLContext from " + this.dir, ex);
        }
    }

    private void issue(String name, String commonName) throws IOException {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
                "/CN=" + commonName, "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", name + ".crt", "-extfile", name + ".ext");
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of(OPENSSL));
        command.addAll(List.of(args));
        Path output = this.dir.resolve("openssl.log");
        try {
            Process process = new ProcessBuilder(command).directory(this.dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed; output: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not run openssl (is it on the PATH?)", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running openssl", ex);
        }
    }

    private static Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    @Override
    public String toString() {
        return "EtcdCertificates(" + this.dir + ")";
    }
}
