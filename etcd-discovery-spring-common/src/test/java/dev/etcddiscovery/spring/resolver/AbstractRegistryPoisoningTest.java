package dev.etcddiscovery.spring.resolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.test.EtcdCertificates;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.grpc.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registry poisoning under TLS between services (docs/security.md): a key written under a service's prefix by
 * someone else than its servers, pointing at a server whose certificate (from the same CA) is not for the service
 * name, gets no call while the real servers keep every call, with TLS and with mutual TLS; and nothing read from etcd,
 * metadata included, changes the authority the channel checks. Certificates are made by the test; the client is the
 * line's own channel factory configured by properties. Shared by both lines; each line's subclass says how its
 * framework configures a TLS channel.
 */
@EtcdTest
@Tag("slow")
public abstract class AbstractRegistryPoisoningTest {

    private static final String SERVICE = "tls-greeter";

    private static final int CALLS = 30;

    private static EtcdCertificates certificates;

    private static EtcdCertificates.Issued serviceCertificate;

    private static EtcdCertificates.Issued otherNameCertificate;

    private static EtcdCertificates.Issued clientCertificate;

    private final EtcdCluster etcd;

    private final List<TlsPortServer> servers = new ArrayList<>();

    protected AbstractRegistryPoisoningTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    /** The auto-configurations of the line's gRPC client, which create its channels. */
    protected abstract Class<?>[] grpcClientAutoConfigurations();

    /**
     * The properties of a TLS client channel {@code name} to {@code target} that trusts {@code certificates}' CA and,
     * when {@code clientCertificate} is not null, presents it (mutual TLS).
     */
    protected abstract String[] tlsChannel(String name, String target, EtcdCertificates certificates,
            EtcdCertificates.Issued clientCertificate);

    /** The channel {@code name}, created by the line's channel factory in {@code context}. */
    protected abstract Channel createChannel(AssertableApplicationContext context, String name);

    @BeforeAll
    static void issueCertificates() {
        certificates = EtcdCertificates.generate("etcd-client");
        serviceCertificate = certificates.issue(SERVICE);
        otherNameCertificate = certificates.issue("other-service");
        clientCertificate = certificates.issue("tls-client");
    }

    @AfterEach
    void stopServersAndDeleteKeys() throws InterruptedException {
        this.etcd.etcdctl("del", "--prefix", SERVICE + "/");
        for (TlsPortServer server : this.servers) {
            server.close();
        }
    }

    @Test
    void withTlsARogueKeyGetsNoCallAndTheRealServersKeepEveryCall() {
        TlsPortServer rogue = start(otherNameCertificate, false);
        assertRogueGetsNoCall(rogue, "{\"Addr\":\"" + rogue.address() + "\"}", false);
    }

    @Test
    void withMutualTlsARogueKeyGetsNoCallAndTheRealServersKeepEveryCall() {
        // the rogue accepts the client's certificate: the client's check of the rogue's is what keeps calls away
        TlsPortServer rogue = start(otherNameCertificate, true);
        assertRogueGetsNoCall(rogue, "{\"Addr\":\"" + rogue.address() + "\"}", true);
    }

    @Test
    void nothingReadFromEtcdChangesTheAuthorityTheChannelChecks() {
        // a rogue with a certificate for the name its key asks the client to check instead of the service name
        TlsPortServer rogue = start(certificates.issue("rogue.example"), false);
        String names = "\"rogue.example\"";
        assertRogueGetsNoCall(rogue, "{\"Addr\":\"" + rogue.address() + "\",\"Metadata\":{\"authority\":" + names
                + ",\"Authority\":" + names + ",\"grpc.authority\":" + names + ",\"serverName\":" + names
                + ",\"io.grpc.EquivalentAddressGroup.authorityOverride\":" + names + "}}", false);
    }

    /**
     * What the other tests rely on: the rogue's certificate is what keeps calls away, so a CA must issue a service's
     * name only to that service's servers. Given one for the service name, the same rogue gets calls.
     */
    @Test
    void aRogueWithACertificateForTheServiceNameGetsCalls() {
        TlsPortServer rogue = start(serviceCertificate, false);
        this.etcd.etcdctl("put", SERVICE + "/rogue", "{\"Addr\":\"" + rogue.address() + "\"}");
        runner(null).run((context) -> {
            Channel channel = createChannel(context, "greeter");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                PortServer.call(channel);
                return rogue.calls() > 0;
            });
        });
    }

    private void assertRogueGetsNoCall(TlsPortServer rogue, String rogueValue, boolean mutual) {
        TlsPortServer first = start(serviceCertificate, mutual);
        TlsPortServer second = start(serviceCertificate, mutual);
        register(first);
        register(second);
        // written by another etcd client than the servers', as anyone who may write under the prefix can
        this.etcd.etcdctl("put", SERVICE + "/rogue", rogueValue);
        runner(mutual ? clientCertificate : null).run((context) -> {
            Channel channel = createChannel(context, "greeter");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PortServer.call(channel);
                assertThat(first.calls()).isPositive();
                assertThat(second.calls()).isPositive();
            });
            int before = first.calls() + second.calls();
            for (int i = 0; i < CALLS; i++) {
                assertThat(PortServer.call(channel)).isIn(first.port(), second.port());
            }
            assertThat(first.calls() + second.calls() - before).isEqualTo(CALLS);
            assertThat(rogue.calls()).isZero();
        });
    }

    private ApplicationContextRunner runner(EtcdCertificates.Issued client) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class, TestLine.RESOLVER))
            .withConfiguration(AutoConfigurations.of(grpcClientAutoConfigurations()))
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList())
            .withPropertyValues(tlsChannel("greeter", "etcd:///" + SERVICE, certificates, client));
    }

    private TlsPortServer start(EtcdCertificates.Issued certificate, boolean requireClientCertificates) {
        TlsPortServer server = TlsPortServer.start(certificate, requireClientCertificates ? certificates : null);
        this.servers.add(server);
        return server;
    }

    private void register(TlsPortServer server) {
        this.etcd.etcdctl("put", SERVICE + "/" + server.address(), "{\"Addr\":\"" + server.address() + "\"}");
    }
}
