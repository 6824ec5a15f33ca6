package dev.etcddiscovery.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
class EtcdClusterTest {

    private EtcdCluster etcd;

    private Client client;

    @AfterEach
    void tearDown() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.etcd != null) {
            this.etcd.close();
        }
    }

    @Test
    void putAndGetThroughJetcd() throws Exception {
        start(1);
        put("greeter/127.0.0.1:1", "v1");
        assertThat(get("greeter/127.0.0.1:1")).isEqualTo("v1");
        assertThat(this.etcd.endpoint()).startsWith("http://127.0.0.1:");
        assertThat(this.etcd.members().get(0).logFile()).exists();
    }

    @Test
    void killedEtcdIsUnavailableAndRestartKeepsData() throws Exception {
        start(1);
        put("k", "before-kill");
        this.etcd.kill();
        assertThat(this.etcd.members().get(0).isRunning()).isFalse();
        assertThatThrownBy(() -> kv().get(bytes("k")).get(20, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .satisfies((ex) -> assertThat(Status.fromThrowable(ex).getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        this.etcd.restart();
        assertThat(get("k")).isEqualTo("before-kill");
    }

    @Test
    void stopAndRestartKeepsData() throws Exception {
        start(1);
        put("k", "before-stop");
        this.etcd.stop();
        this.etcd.restart();
        assertThat(get("k")).isEqualTo("before-stop");
    }

    @Test
    void wipeLeavesAnEmptyClusterOnTheSamePort() throws Exception {
        start(1);
        String endpoint = this.etcd.endpoint();
        put("k", "gone-after-wipe");
        this.etcd.wipe();
        assertThat(this.etcd.endpoint()).isEqualTo(endpoint);
        Client fresh = this.etcd.client();
        try {
            assertThat(fresh.getKVClient().get(bytes("k")).get(20, TimeUnit.SECONDS).getCount()).isZero();
        }
        finally {
            fresh.close();
        }
    }

    @Test
    void threeMemberClusterAcceptsWritesAfterItsLeaderIsKilled() throws Exception {
        start(3);
        put("before", "1");
        EtcdMember leader = this.etcd.leader();
        this.etcd.kill(leader);
        assertThat(leader.isRunning()).isFalse();
        EtcdMember newLeader = this.etcd.leader();
        assertThat(newLeader).isNotSameAs(leader);
        put("after", "2");
        assertThat(get("before")).isEqualTo("1");
        assertThat(get("after")).isEqualTo("2");
        leader.start();
        leader.awaitReady(Duration.ofSeconds(30));
    }

    @Test
    void clientOfATlsClusterWithClientCertificatesTrustsItsCaAndPresentsItsCertificate() throws Exception {
        this.etcd = EtcdCluster.builder().tls(EtcdCertificates.generate("kit")).clientCertAuth().start();
        assertThat(this.etcd.endpoint()).startsWith("https://");
        this.client = this.etcd.client();
        put("tls", "v1");
        assertThat(get("tls")).isEqualTo("v1");
    }

    @Test
    void missingBinaryIsExplained() {
        System.setProperty(EtcdBinary.ETCD_BINARY, "/nonexistent/etcd");
        try {
            assertThatThrownBy(EtcdCluster::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ETCD_BINARY=/nonexistent/etcd");
        }
        finally {
            System.clearProperty(EtcdBinary.ETCD_BINARY);
        }
    }

    private void start(int members) {
        this.etcd = EtcdCluster.start(members);
        this.client = this.etcd.clientBuilder()
            .retryMaxDuration(Duration.ofSeconds(3))
            // fail calls at once while etcd is down instead of queueing them until it returns
            .waitForReady(false)
            .build();
    }

    private KV kv() {
        return this.client.getKVClient();
    }

    private void put(String key, String value) throws Exception {
        kv().put(bytes(key), bytes(value)).get(20, TimeUnit.SECONDS);
    }

    private String get(String key) throws Exception {
        GetResponse response = kv().get(bytes(key)).get(20, TimeUnit.SECONDS);
        assertThat(response.getKvs()).as("values of %s", key).hasSize(1);
        return response.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
