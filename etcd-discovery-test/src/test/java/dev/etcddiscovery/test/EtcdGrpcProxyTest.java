package dev.etcddiscovery.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EtcdTest
@Tag("slow")
class EtcdGrpcProxyTest {

    private final EtcdCluster etcd;

    EtcdGrpcProxyTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void forwardsToEtcdAndComesBackOnItsPortAfterAKill() throws Exception {
        try (EtcdGrpcProxy proxy = this.etcd.grpcProxy();
                Client client = proxy.clientBuilder().retryMaxDuration(Duration.ofSeconds(20)).build()) {
            assertThat(proxy.endpoint()).startsWith("http://127.0.0.1:").isNotIn(this.etcd.endpoints());
            client.getKVClient().put(bytes("through-proxy"), bytes("v1")).get(20, TimeUnit.SECONDS);
            // written through the proxy, read from etcd itself
            assertThat(this.etcd.etcdctl("get", "through-proxy", "--print-value-only").trim()).isEqualTo("v1");
            assertThat(proxy.logFile()).exists();

            proxy.kill();
            assertThat(proxy.isRunning()).isFalse();
            proxy.restart();
            this.etcd.etcdctl("put", "after-restart", "v2");
            await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> value(client, "after-restart"), "v2"::equals);
        }
    }

    @Test
    void itsLinkToEtcdCanPassThroughAFaultProxy() throws Exception {
        try (EtcdProxy link = EtcdProxy.inFrontOf(this.etcd.members().get(0));
                EtcdGrpcProxy proxy = EtcdGrpcProxy.inFrontOf(link);
                Client client = proxy.clientBuilder().build()) {
            this.etcd.etcdctl("put", "behind-two-proxies", "v3");
            assertThat(value(client, "behind-two-proxies")).isEqualTo("v3");
        }
    }

    private static String value(Client client, String key) throws Exception {
        return client.getKVClient().get(bytes(key)).get(20, TimeUnit.SECONDS).getKvs().get(0).getValue()
            .toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
