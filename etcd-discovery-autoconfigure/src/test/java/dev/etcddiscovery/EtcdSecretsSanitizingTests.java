package dev.etcddiscovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.etcddiscovery.test.EtcdCertificates;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /actuator/env and /actuator/configprops show values here (show-values=ALWAYS), yet the etcd password and private
 * key stay masked. Non-secret values (the user name) are shown, which proves the endpoints do reveal values.
 */
class EtcdSecretsSanitizingTests {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static final String INLINE_KEY = "-----BEGIN PRIVATE KEY-----\nS3CRETKEYMATERIAL\n-----END PRIVATE KEY-----";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
                EndpointAutoConfiguration.class, EnvironmentEndpointAutoConfiguration.class,
                ConfigurationPropertiesReportEndpointAutoConfiguration.class))
        .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=env,configprops",
                "management.endpoint.env.show-values=ALWAYS", "management.endpoint.configprops.show-values=ALWAYS");

    @Test
    void passwordAndPrivateKeyAreMaskedInEnvAndConfigprops() {
        EtcdCertificates certificates = EtcdCertificates.generate("app");
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379", "etcd.discovery.username=visible-user",
                    "etcd.discovery.password=s3cret-pw",
                    "etcd.discovery.ssl.ca-certificate=file:" + certificates.caCertificate(),
                    "etcd.discovery.ssl.certificate=file:" + certificates.clientCertificate(),
                    "etcd.discovery.ssl.private-key=" + INLINE_KEY)
            .withBean(io.etcd.jetcd.Client.class, () -> io.etcd.jetcd.Client.builder().endpoints("http://127.0.0.1:1").build())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                String env = JSON.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
                String configprops = JSON.writeValueAsString(
                        context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
                assertThat(env).contains("visible-user").doesNotContain("s3cret").doesNotContain("S3CRETKEYMATERIAL");
                assertThat(configprops).contains("visible-user")
                    .doesNotContain("s3cret")
                    .doesNotContain("S3CRETKEYMATERIAL");
                assertThat(context.getBean(EnvironmentEndpoint.class)
                    .environmentEntry("etcd.discovery.password")
                    .getProperty()
                    .getValue()).isEqualTo("******");
            });
    }

    @Test
    void sslBundleKeyMaterialIsMasked() {
        EtcdCertificates certificates = EtcdCertificates.generate("app");
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379", "etcd.discovery.ssl.bundle=etcd",
                    "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caCertificate(),
                    "spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + certificates.clientCertificate(),
                    "spring.ssl.bundle.pem.etcd.keystore.private-key=" + INLINE_KEY,
                    "spring.ssl.bundle.pem.etcd.keystore.private-key-password=s3cret-key-pw")
            .withBean(io.etcd.jetcd.Client.class, () -> io.etcd.jetcd.Client.builder().endpoints("http://127.0.0.1:1").build())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                String env = JSON.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
                String configprops = JSON.writeValueAsString(
                        context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
                assertThat(env).contains("client.crt").doesNotContain("s3cret").doesNotContain("S3CRETKEYMATERIAL");
                assertThat(configprops).contains("client.crt")
                    .doesNotContain("s3cret")
                    .doesNotContain("S3CRETKEYMATERIAL");
            });
    }

    @Test
    void onlyEtcdSecretsAndTheEtcdBundleKeyMaterialAreMasked() {
        assertThat(new EtcdSecretKeys("etcd")).accepts("etcd.discovery.password", "etcd.discovery.ssl.private-key",
                "etcd.discovery.ssl.privateKey", "spring.ssl.bundle.pem.etcd.keystore.private-key",
                "spring.ssl.bundle.pem.etcd.keystore.privateKeyPassword", "spring.ssl.bundle.jks.etcd.key.password")
            .rejects("etcd.discovery.username", "etcd.discovery.ssl.certificate", "etcd.discovery.ssl.bundle",
                    "spring.ssl.bundle.pem.web.keystore.private-key", "spring.ssl.bundle.pem.etcd.keystore.certificate");
        assertThat(new EtcdSecretKeys(null)).accepts("etcd.discovery.password")
            .rejects("spring.ssl.bundle.pem.etcd.keystore.private-key");
    }
}
