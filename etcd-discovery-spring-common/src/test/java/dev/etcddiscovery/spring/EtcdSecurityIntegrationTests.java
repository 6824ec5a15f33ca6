package dev.etcddiscovery.spring;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCertificates;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The client bean against real etcd processes started with TLS, mutual TLS, user/password auth and an RBAC role
 * limited to one prefix. fail-fast is on, so a connection that does not work fails the context.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("slow")
class EtcdSecurityIntegrationTests {

    private static EtcdCertificates certificates;

    private static EtcdCertificates otherCa;

    private EtcdCluster etcd;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class))
        .withPropertyValues("etcd.discovery.fail-fast=true", "etcd.discovery.request-timeout=3s");

    @BeforeAll
    static void generateCertificates() {
        certificates = EtcdCertificates.generate("greeter");
        otherCa = EtcdCertificates.generate("stranger");
    }

    @AfterEach
    void stopEtcd() {
        if (this.etcd != null) {
            this.etcd.close();
        }
    }

    @Test
    void tlsWithSslBundle() {
        this.etcd = EtcdCluster.builder().tls(certificates).start();
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(), "etcd.discovery.ssl.bundle=etcd",
                    "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caCertificate())
            .run((context) -> putGetAndWatch(context.getBean(Client.class), "greeter/"));
    }

    @Test
    void tlsWithPemCaCertificate() {
        this.etcd = EtcdCluster.builder().tls(certificates).start();
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(),
                    "etcd.discovery.ssl.ca-certificate=file:" + certificates.caCertificate())
            .run((context) -> putGetAndWatch(context.getBean(Client.class), "greeter/"));
    }

    @Test
    void tlsWithUntrustedCaFailsTheStart() {
        this.etcd = EtcdCluster.builder().tls(certificates).start();
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(),
                    "etcd.discovery.ssl.ca-certificate=file:" + otherCa.caCertificate())
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("etcd at [" + this.etcd.endpoint() + "] did not answer within 3s")
                .hasMessageContaining("check the trusted CA"));
    }

    @Test
    void mutualTlsWithBundleKeyStore() {
        this.etcd = EtcdCluster.builder().tls(certificates).clientCertAuth().start();
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(), "etcd.discovery.ssl.bundle=etcd",
                    "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caCertificate(),
                    "spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + certificates.clientCertificate(),
                    "spring.ssl.bundle.pem.etcd.keystore.private-key=file:" + certificates.clientKey())
            .run((context) -> putGetAndWatch(context.getBean(Client.class), "greeter/"));
    }

    @Test
    void mutualTlsWithPemSettings() {
        this.etcd = EtcdCluster.builder().tls(certificates).clientCertAuth().start();
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(),
                    "etcd.discovery.ssl.ca-certificate=file:" + certificates.caCertificate(),
                    "etcd.discovery.ssl.certificate=file:" + certificates.clientCertificate(),
                    "etcd.discovery.ssl.private-key=file:" + certificates.clientKey())
            .run((context) -> putGetAndWatch(context.getBean(Client.class), "greeter/"));
    }

    @Test
    void mutualTlsFromConnectionDetailsOfTheApplication() {
        this.etcd = EtcdCluster.builder().tls(certificates).clientCertAuth().start();
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate("file:" + certificates.clientCertificate())
                    .withPrivateKey("file:" + certificates.clientKey()),
                PemSslStoreDetails.forCertificates("file:" + certificates.caCertificate())));
        EtcdConnectionDetails details = new EtcdConnectionDetails() {

            @Override
            public List<URI> getEndpoints() {
                return List.of(URI.create(EtcdSecurityIntegrationTests.this.etcd.endpoint()));
            }

            @Override
            public SslBundle getSslBundle() {
                return bundle;
            }
        };
        // no etcd.discovery.ssl.* and an http endpoint in the properties: TLS comes from the bean alone
        this.runner.withPropertyValues("etcd.discovery.endpoints=http://127.0.0.1:1")
            .withBean(EtcdConnectionDetails.class, () -> details)
            .run((context) -> putGetAndWatch(context.getBean(Client.class), "greeter/"));
    }

    @Test
    void mutualTlsWithoutClientCertificateFailsTheStart() {
        this.etcd = EtcdCluster.builder().tls(certificates).clientCertAuth().start();
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(),
                    "etcd.discovery.ssl.ca-certificate=file:" + certificates.caCertificate())
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("etcd at [" + this.etcd.endpoint() + "] did not answer within 3s")
                .hasMessageContaining("the client certificate"));
    }

    @Test
    void userAndPasswordAuth(CapturedOutput output) {
        this.etcd = EtcdCluster.start();
        this.etcd.etcdctl("user", "add", "root:r00t-s3cret");
        this.etcd.etcdctl("auth", "enable");
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(), "etcd.discovery.username=root",
                    "etcd.discovery.password=r00t-s3cret")
            .run((context) -> putGetAndWatch(context.getBean(Client.class), "anything/"));
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(), "etcd.discovery.username=root",
                    "etcd.discovery.password=wr0ng-s3cret")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("refused the startup check: StatusRuntimeException: INVALID_ARGUMENT: "
                        + "etcdserver: authentication failed, invalid user ID or password")
                .satisfies((failure) -> assertThat(EtcdDiscoveryPropertiesValidationTests.stackTrace(failure))
                    .doesNotContain("s3cret")));
        assertThat(output.getAll()).doesNotContain("s3cret");
    }

    @Test
    void rbacUserLimitedToItsPrefixCanUseItAndNothingElse() {
        this.etcd = EtcdCluster.start();
        this.etcd.etcdctl("user", "add", "root:rootpw");
        this.etcd.etcdctl("role", "add", "greeter-rw");
        this.etcd.etcdctl("role", "grant-permission", "--prefix=true", "greeter-rw", "readwrite", "greeter/");
        this.etcd.etcdctl("user", "add", "greeter:greeterpw");
        this.etcd.etcdctl("user", "grant-role", "greeter", "greeter-rw");
        this.etcd.etcdctl("auth", "enable");
        this.runner
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(),
                    "etcd.discovery.username=greeter", "etcd.discovery.password=greeterpw")
            .run((context) -> {
                Client client = context.getBean(Client.class);
                putGetAndWatch(client, "greeter/");
                assertThatException()
                    .isThrownBy(() -> client.getKVClient().put(bytes("other/x"), bytes("1")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .withMessageContaining("permission denied");
            });
    }

    private static void putGetAndWatch(Client client, String prefix) throws Exception {
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        // from the revision before the put: a watch without one sees only what comes after etcd has created it, and
        // jetcd creates it asynchronously (after fetching an auth token when there is a user), so the put could win
        long revision = client.getKVClient().get(bytes(prefix)).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        try (Watch.Watcher watcher = client.getWatchClient()
            .watch(bytes(prefix), WatchOption.builder().isPrefix(true).withRevision(revision + 1).build(),
                    (response) -> events.addAll(response.getEvents()))) {
            client.getKVClient().put(bytes(prefix + "127.0.0.1:9090"), bytes("{\"Addr\":\"127.0.0.1:9090\"}"))
                .get(10, TimeUnit.SECONDS);
            assertThat(client.getKVClient().get(bytes(prefix + "127.0.0.1:9090")).get(10, TimeUnit.SECONDS).getKvs())
                .singleElement()
                .satisfies((kv) -> assertThat(kv.getValue().toString()).isEqualTo("{\"Addr\":\"127.0.0.1:9090\"}"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() == 1);
            assertThat(events.get(0).getKeyValue().getKey().toString()).isEqualTo(prefix + "127.0.0.1:9090");
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
