package dev.etcddiscovery.spring;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** A real SpringApplication run prints Boot's failure report with our description and action. */
@ExtendWith(OutputCaptureExtension.class)
class EtcdFailureReportTests {

    @Test
    void invalidEndpointGivesApplicationFailedToStartReport(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
                "--etcd.discovery.endpoints=ftp://127.0.0.1:2379", "--etcd.discovery.password=s3cret-pw",
                "--etcd.discovery.username=app", "--etcd.discovery.registration.ttl=0s"));
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
            .contains("Description:\n\nInvalid etcd discovery configuration:")
            .contains("    Property: etcd.discovery.endpoints[0]\n    Value: \"ftp://127.0.0.1:2379\"\n"
                    + "    Origin: \"etcd.discovery.endpoints\" from property source \"commandLineArgs\"\n"
                    + "    Reason: must be an http:// or https:// URL with host and port, e.g. http://127.0.0.1:2379")
            .contains("    Property: etcd.discovery.registration.ttl\n    Value: \"0s\"")
            .contains("Action:\n\nUpdate the etcd.discovery.* properties listed above")
            .doesNotContain("s3cret");
    }

    /** Secrets from environment variables stay out of the report and the log, DEBUG included. */
    @Test
    void secretsFromEnvironmentVariablesAreNotPrinted(CapturedOutput output) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("ETCD_DISCOVERY_PASSWORD", "s3cret-env-pw", "ETCD_DISCOVERY_SSL_PRIVATE_KEY",
                                    "-----BEGIN PRIVATE KEY-----\nS3CRETKEY\n-----END PRIVATE KEY-----",
                                    "ETCD_DISCOVERY_ENDPOINTS", "https://127.0.0.1:2379")));
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(environment);
        assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
                "--logging.level.dev.etcddiscovery=DEBUG", "--logging.level.org.springframework.boot.context=DEBUG"));
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
            .contains("Property: etcd.discovery.username")
            .contains("Property: etcd.discovery.ssl.certificate")
            .doesNotContain("s3cret")
            .doesNotContain("S3CRET");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class })
    static class App {

    }
}
