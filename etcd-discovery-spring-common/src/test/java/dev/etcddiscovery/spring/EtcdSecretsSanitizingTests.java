package dev.etcddiscovery.spring;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.etcddiscovery.test.EtcdCertificates;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

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
            .withBean(Client.class, () -> Client.builder().endpoints("http://127.0.0.1:1").build())
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
            .withBean(Client.class, () -> Client.builder().endpoints("http://127.0.0.1:1").build())
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

    /** How Kubernetes hands secrets over: environment variables, in Boot's forms (with and without the dash). */
    @Test
    void secretsFromEnvironmentVariablesAreMasked() {
        EtcdCertificates certificates = EtcdCertificates.generate("app");
        this.runner.withInitializer((context) -> context.getEnvironment()
            .getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("ETCD_DISCOVERY_ENDPOINTS", "https://127.0.0.1:2379", "ETCD_DISCOVERY_USERNAME",
                                    "visible-user", "ETCD_DISCOVERY_PASSWORD", "s3cret-env-pw",
                                    "ETCD_DISCOVERY_SSL_CERTIFICATE", "file:" + certificates.clientCertificate(),
                                    "ETCD_DISCOVERY_SSL_PRIVATEKEY", INLINE_KEY, "ETCD_DISCOVERY_SSL_PRIVATE_KEY",
                                    INLINE_KEY.replace("S3CRET", "S3CRET-LEGACY")))))
            .withBean(Client.class, () -> Client.builder().endpoints("http://127.0.0.1:1").build())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(EtcdDiscoveryProperties.class).getPassword()).isEqualTo("s3cret-env-pw");
                assertMasked(context, "ETCD_DISCOVERY_PASSWORD", "ETCD_DISCOVERY_SSL_PRIVATEKEY",
                        "ETCD_DISCOVERY_SSL_PRIVATE_KEY");
            });
    }

    @Test
    void secretsFromSystemPropertiesAndTheCommandLineAreMasked() {
        EtcdCertificates certificates = EtcdCertificates.generate("app");
        Properties systemProperties = new Properties();
        systemProperties.put("etcd.discovery.ssl.privateKey", INLINE_KEY);
        systemProperties.put("etcd.discovery.password", "s3cret-sys-pw");
        this.runner.withInitializer((context) -> {
            MutablePropertySources sources = context.getEnvironment().getPropertySources();
            sources.replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, new PropertiesPropertySource(
                    StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, systemProperties));
            sources.addFirst(new SimpleCommandLinePropertySource("--etcd.discovery.password=s3cret-cli-pw",
                    "--etcd.discovery.ssl.private-key=" + INLINE_KEY.replace("S3CRET", "S3CRET-CLI")));
        })
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379",
                    "etcd.discovery.username=visible-user",
                    "etcd.discovery.ssl.certificate=file:" + certificates.clientCertificate())
            .withBean(Client.class, () -> Client.builder().endpoints("http://127.0.0.1:1").build())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(EtcdDiscoveryProperties.class).getPassword()).isEqualTo("s3cret-cli-pw");
                assertMasked(context, "etcd.discovery.password", "etcd.discovery.ssl.privateKey",
                        "etcd.discovery.ssl.private-key");
            });
    }

    @Test
    void sslBundleKeyMaterialFromEnvironmentVariablesIsMasked() {
        EtcdCertificates certificates = EtcdCertificates.generate("app");
        this.runner.withInitializer((context) -> context.getEnvironment()
            .getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("SPRING_SSL_BUNDLE_PEM_ETCD_KEYSTORE_PRIVATEKEY", INLINE_KEY,
                                    "SPRING_SSL_BUNDLE_PEM_ETCD_KEYSTORE_PRIVATE_KEY_PASSWORD", "s3cret-key-pw"))))
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379", "etcd.discovery.ssl.bundle=etcd",
                    "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caCertificate(),
                    "spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + certificates.clientCertificate())
            .withBean(Client.class, () -> Client.builder().endpoints("http://127.0.0.1:1").build())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertMasked(context, "SPRING_SSL_BUNDLE_PEM_ETCD_KEYSTORE_PRIVATEKEY",
                        "SPRING_SSL_BUNDLE_PEM_ETCD_KEYSTORE_PRIVATE_KEY_PASSWORD");
            });
    }

    @Test
    void onlyEtcdSecretsAndTheEtcdBundleKeyMaterialAreMasked() {
        EtcdSecretKeys secrets = new EtcdSecretKeys("etcd");
        assertThat(List.of("etcd.discovery.password", "etcd.discovery.ssl.private-key", "etcd.discovery.ssl.privateKey",
                "etcd.discovery.ssl.privatekey", "spring.ssl.bundle.pem.etcd.keystore.private-key",
                "spring.ssl.bundle.pem.etcd.keystore.privateKeyPassword", "spring.ssl.bundle.jks.etcd.key.password"))
            .allMatch((key) -> secrets.isSecret(null, key));
        assertThat(List.of("etcd.discovery.username", "etcd.discovery.ssl.certificate", "etcd.discovery.ssl.bundle",
                "spring.ssl.bundle.pem.web.keystore.private-key", "spring.ssl.bundle.pem.etcd.keystore.certificate",
                "other.password"))
            .noneMatch((key) -> secrets.isSecret(null, key));
        SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of());
        assertThat(List.of("ETCD_DISCOVERY_PASSWORD", "ETCD_DISCOVERY_SSL_PRIVATEKEY", "ETCD_DISCOVERY_SSL_PRIVATE_KEY",
                "etcd_discovery_password", "SPRING_SSL_BUNDLE_JKS_ETCD_KEY_PASSWORD"))
            .allMatch((key) -> secrets.isSecret(environment, key));
        assertThat(List.of("ETCD_DISCOVERY_USERNAME", "ETCD_DISCOVERY_SSL_CERTIFICATE", "DB_PASSWORD",
                "SPRING_SSL_BUNDLE_PEM_WEB_KEYSTORE_PRIVATEKEY"))
            .noneMatch((key) -> secrets.isSecret(environment, key));
        assertThat(new EtcdSecretKeys(null).isSecret(null, "etcd.discovery.password")).isTrue();
        assertThat(new EtcdSecretKeys(null).isSecret(null, "spring.ssl.bundle.pem.etcd.keystore.private-key"))
            .isFalse();
    }

    /** Values are shown (the user name and the certificate prove it), secrets in no form, whatever their key. */
    private static void assertMasked(AssertableApplicationContext context, String... secretKeys) throws Exception {
        EnvironmentEndpoint envEndpoint = context.getBean(EnvironmentEndpoint.class);
        String env = JSON.writeValueAsString(envEndpoint.environment(null));
        String configprops = JSON.writeValueAsString(
                context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
        assertThat(env + configprops).contains("client.crt").doesNotContain("s3cret").doesNotContain("S3CRET");
        assertThat(env).contains(secretKeys);
        for (String key : secretKeys) {
            assertThat(envEndpoint.environmentEntry(key).getProperty().getValue()).as(key).isEqualTo("******");
        }
    }
}
