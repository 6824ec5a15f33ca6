package dev.etcddiscovery.spring;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which {@link EtcdConnectionDetails} the client is built from: the properties' unless the application has one. */
@EtcdTest
class EtcdConnectionDetailsTests {

    /** Nothing listens there: a client that reaches etcd was not built from it. */
    private static final String NOWHERE = "http://127.0.0.1:1";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class));

    @Test
    void propertiesGiveTheDefaultDetailsWithoutShowingThePassword() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=http://10.0.0.1:2379", "etcd.discovery.username=app",
                    "etcd.discovery.password=s3cret-pw")
            .run((context) -> {
                EtcdConnectionDetails details = context.getBean(EtcdConnectionDetails.class);
                assertThat(details).isInstanceOf(PropertiesEtcdConnectionDetails.class);
                assertThat(details.getEndpoints()).containsExactly(URI.create("http://10.0.0.1:2379"));
                assertThat(details.getUsername()).isEqualTo("app");
                assertThat(details.getPassword()).isEqualTo("s3cret-pw");
                assertThat(details.getSslBundle()).isNull();
                assertThat(details).asString().doesNotContain("s3cret-pw");
            });
    }

    @Test
    void theClientIsBuiltFromTheProperties(EtcdCluster etcd) {
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList())
            .run((context) -> assertRoundTrip(context.getBean(Client.class), "from-properties"));
    }

    @Test
    void aBeanOfTheApplicationReplacesThePropertiesAndTheClientIsBuiltFromIt(EtcdCluster etcd) {
        EtcdConnectionDetails ours = EtcdConnectionDetails.of(etcd.endpoints().stream().map(URI::create).toList());
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + NOWHERE)
            .withBean(EtcdConnectionDetails.class, () -> ours)
            .run((context) -> {
                assertThat(context).hasSingleBean(EtcdConnectionDetails.class)
                    .doesNotHaveBean(PropertiesEtcdConnectionDetails.class);
                assertThat(context.getBean(EtcdConnectionDetails.class)).isSameAs(ours);
                assertRoundTrip(context.getBean(Client.class), "from-bean");
            });
    }

    @Test
    void theStartupCheckNamesTheEndpointsOfTheDetailsInUse() {
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=http://10.0.0.1:2379", "etcd.discovery.fail-fast=true",
                    "etcd.discovery.request-timeout=200ms")
            .withBean(EtcdConnectionDetails.class, () -> EtcdConnectionDetails.of(List.of(URI.create(NOWHERE))))
            .run((context) -> {
                Throwable failure = context.getStartupFailure();
                while (failure != null && !(failure instanceof EtcdUnavailableException)) {
                    failure = failure.getCause();
                }
                assertThat(failure).isNotNull().hasMessageContaining(NOWHERE).hasMessageNotContaining("10.0.0.1");
            });
    }

    @Test
    void anUnusableBundleOfTheApplicationIsReportedWithoutItsSecrets() {
        SslBundle unreadable = SslBundle
            .of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificates("file:/does/not/exist.pem")));
        EtcdConnectionDetails details = new WithPassword(List.of(URI.create("https://127.0.0.1:1")), "app",
                "s3cret-pw", unreadable);
        this.runner.withBean(EtcdConnectionDetails.class, () -> details).run((context) -> {
            assertThat(context).getFailure().hasStackTraceContaining("could not be set up from the SSL bundle of");
            assertThat(EtcdDiscoveryPropertiesValidationTests.stackTrace(context.getStartupFailure()))
                .doesNotContain("s3cret-pw");
        });
    }

    @Test
    void detailsNeedAnEndpoint() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> EtcdConnectionDetails.of(List.of()))
            .withMessageContaining("at least one endpoint");
    }

    /** Details as an application may write them: a record, whose {@code toString()} shows every component. */
    private record WithPassword(List<URI> endpoints, String username, String password, SslBundle bundle)
            implements EtcdConnectionDetails {

        @Override
        public List<URI> getEndpoints() {
            return this.endpoints;
        }

        @Override
        public String getUsername() {
            return this.username;
        }

        @Override
        public String getPassword() {
            return this.password;
        }

        @Override
        public SslBundle getSslBundle() {
            return this.bundle;
        }
    }

    private static void assertRoundTrip(Client client, String value) throws Exception {
        ByteSequence key = ByteSequence.from("connection-details/" + value, StandardCharsets.UTF_8);
        client.getKVClient().put(key, ByteSequence.from(value, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        assertThat(client.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs().get(0).getValue()
            .toString(StandardCharsets.UTF_8)).isEqualTo(value);
    }
}
