package dev.etcddiscovery.spring;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.etcddiscovery.test.EtcdCertificates;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad {@code etcd.discovery.*} values stop the context, and the failure analysis names the property and what is
 * allowed.
 */
class EtcdDiscoveryPropertiesValidationTests {

    private static EtcdCertificates certificates;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class));

    @BeforeAll
    static void generateCertificates() {
        certificates = EtcdCertificates.generate("client");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "etcd.discovery.endpoints=ftp://127.0.0.1:2379 | etcd.discovery.endpoints[0] | must be an http:// or https:// URL",
            "etcd.discovery.endpoints=127.0.0.1:2379 | etcd.discovery.endpoints | must be http:// or https:// URLs with host and port",
            "etcd.discovery.endpoints=http://127.0.0.1 | etcd.discovery.endpoints[0] | must name a host and a port",
            "etcd.discovery.endpoints=http://127.0.0.1:1,https://127.0.0.1:2 | etcd.discovery.endpoints | must be all http or all https",
            "etcd.discovery.endpoints= | etcd.discovery.endpoints | must list at least one etcd client URL",
            "etcd.discovery.connect-timeout=0s | etcd.discovery.connect-timeout | must be a positive duration",
            "etcd.discovery.request-timeout=-1s | etcd.discovery.request-timeout | must be a positive duration",
            "etcd.discovery.max-retry-backoff=0s | etcd.discovery.max-retry-backoff | must be a positive duration",
            "etcd.discovery.registration.ttl=500ms | etcd.discovery.registration.ttl | must be at least 1s",
            "etcd.discovery.registration.port=70000 | etcd.discovery.registration.port | must be between 1 and 65535",
            "etcd.discovery.metrics.refresh-interval=0s | etcd.discovery.metrics.refresh-interval | must be a positive duration",
            "etcd.discovery.registration.shutdown-timeout=0s | etcd.discovery.registration.shutdown-timeout | must be a positive duration",
            "etcd.discovery.resolver.default-port=0 | etcd.discovery.resolver.default-port | must be between 1 and 65535, or unset",
            "etcd.discovery.resolver.watch-check-interval=0s | etcd.discovery.resolver.watch-check-interval | must be a positive duration",
            "etcd.discovery.resolver.new-cluster-grace-period=-1s | etcd.discovery.resolver.new-cluster-grace-period | must be zero",
            "etcd.discovery.resolver.allowed-networks=10.0.0.0/8,10.0.0/8 | etcd.discovery.resolver.allowed-networks[1] | must be a network in CIDR notation, IPv4 or IPv6",
            "etcd.discovery.resolver.load-balancing-policy=round_robbin | etcd.discovery.resolver.load-balancing-policy | must be a load-balancing policy known to gRPC",
            "etcd.discovery.registration.weight=0 | etcd.discovery.registration.weight | must be a whole number from 1 to 10000",
            "etcd.discovery.registration.weight=10001 | etcd.discovery.registration.weight | must be a whole number from 1 to 10000",
            "etcd.discovery.resolver.zone-threshold=0 | etcd.discovery.resolver.zone-threshold | must be at least 1",
            "etcd.discovery.resolver.route-header=X Route | etcd.discovery.resolver.route-header | must be a gRPC header name",
            "etcd.discovery.resolver.route-header=x-route-bin | etcd.discovery.resolver.route-header | must be a gRPC header name",
            "etcd.discovery.username=app | etcd.discovery.password | must be set when etcd.discovery.username is set",
            "etcd.discovery.ssl.bundle=etcd | etcd.discovery.endpoints | must be https:// URLs when etcd.discovery.ssl.* is set" })
    void invalidValueIsReportedWithPropertyAndAllowedValues(String assignment, String property, String reason) {
        this.runner.withPropertyValues(assignment.trim()).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + property.trim() + "\n")
                .contains("Reason: " + reason.trim());
            assertThat(analysis.getAction()).contains("etcd.discovery.*");
        });
    }

    @Test
    void bundleAndPemTogetherAreRejected() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379", "etcd.discovery.ssl.bundle=etcd",
                    "etcd.discovery.ssl.ca-certificate=file:" + certificates.caCertificate())
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("Property: etcd.discovery.ssl.bundle")
                .contains("use either an SSL bundle or PEM settings"));
    }

    @Test
    void certificateWithoutPrivateKeyIsRejected() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379",
                    "etcd.discovery.ssl.certificate=file:" + certificates.clientCertificate())
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("Property: etcd.discovery.ssl.private-key")
                .contains("must be set when etcd.discovery.ssl.certificate is set"));
    }

    @Test
    void everyErrorIsListedAndNoSecretIsPrinted() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=ftp://x:1", "etcd.discovery.password=s3cret-pw",
                    "etcd.discovery.ssl.private-key=s3cret-key")
            .run((context) -> {
                String description = analyze(context.getStartupFailure()).getDescription();
                assertThat(description).contains("etcd.discovery.endpoints[0]", "etcd.discovery.username",
                        "etcd.discovery.ssl.certificate");
                assertThat(stackTrace(context.getStartupFailure()) + description).doesNotContain("s3cret");
            });
    }

    @Test
    void unknownSslBundleIsNamed() {
        this.runner.withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379", "etcd.discovery.ssl.bundle=nope")
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("etcd.discovery.ssl.bundle names SSL bundle 'nope'");
                assertThat(analysis.getAction()).contains("Fix etcd.discovery.ssl.bundle");
            });
    }

    @Test
    void validTlsSettingsStart() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379,https://127.0.0.1:2380",
                    "etcd.discovery.ssl.ca-certificate=file:" + certificates.caCertificate(),
                    "etcd.discovery.ssl.certificate=file:" + certificates.clientCertificate(),
                    "etcd.discovery.ssl.private-key=file:" + certificates.clientKey(),
                    "etcd.discovery.username=app", "etcd.discovery.password=pw", "etcd.discovery.registration.ttl=1s",
                    "etcd.discovery.resolver.load-balancing-policy=pick_first",
                    "etcd.discovery.resolver.new-cluster-grace-period=0s", "etcd.discovery.resolver.default-port=2379")
            .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Client.class));
    }

    @Test
    void unreadablePemIsNamed() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=https://127.0.0.1:2379",
                    "etcd.discovery.ssl.ca-certificate=file:/does/not/exist.pem")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("etcd.discovery.ssl.ca-certificate/certificate/private-key could not be used for TLS to etcd: ")
                .contains("/does/not/exist.pem"));
    }

    static FailureAnalysis analyze(Throwable failure) {
        for (var analyzer : new org.springframework.boot.diagnostics.AbstractFailureAnalyzer<?>[] {
                new EtcdPropertiesFailureAnalyzer(), new EtcdConfigurationFailureAnalyzer(),
                new EtcdUnavailableFailureAnalyzer() }) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No etcd failure analysis for " + failure, failure);
    }

    static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
