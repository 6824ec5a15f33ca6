package dev.etcddiscovery.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EtcdTest
@Tag("slow")
class EtcdProxyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EtcdCluster etcd;

    private EtcdProxy proxy;

    private Client client;

    EtcdProxyTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @BeforeEach
    void connectThroughTheProxy() throws Exception {
        this.proxy = EtcdProxy.inFrontOf(this.etcd.members().get(0));
        this.client = this.proxy.clientBuilder()
            .retryMaxDuration(Duration.ofSeconds(3))
            // fail calls at once while etcd cannot be reached instead of queueing them
            .waitForReady(false)
            .build();
        put("proxied", "v1");
    }

    @AfterEach
    void close() {
        this.client.close();
        this.proxy.close();
    }

    @Test
    void putAndGetPassThrough() throws Exception {
        assertThat(this.proxy.endpoint()).startsWith("http://127.0.0.1:").isNotEqualTo(this.etcd.endpoint());
        assertThat(value(get("proxied").get(20, TimeUnit.SECONDS))).isEqualTo("v1");
    }

    @Test
    void aPartitionFailsCallsUntilHealed() {
        this.proxy.partition();
        // a call on the connection being cut may fail with another code (a reset stream reads as UNKNOWN);
        // no call may succeed, and once the connection is gone every call fails UNAVAILABLE
        await().atMost(DEADLINE).until(() -> partitionedCallCode() == Status.Code.UNAVAILABLE);

        this.proxy.heal();
        await().atMost(DEADLINE)
            .ignoreExceptions()
            .untilAsserted(() -> assertThat(value(get("proxied").get(20, TimeUnit.SECONDS))).isEqualTo("v1"));
    }

    private Status.Code partitionedCallCode() throws Exception {
        try {
            get("proxied").get(20, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            return Status.fromThrowable(ex).getCode();
        }
        throw new AssertionError("a call was answered through the partition");
    }

    @Test
    void aFrozenCallNeitherAnswersNorFailsUntilThawed() throws Exception {
        this.proxy.freeze();
        CompletableFuture<GetResponse> frozen = get("held-back");
        await().atMost(DEADLINE).until(() -> this.proxy.isHolding("held-back"));
        assertThat(frozen).isNotDone();

        this.proxy.thaw();
        assertThat(frozen.get(20, TimeUnit.SECONDS).getCount()).isZero();
    }

    private void put(String key, String value) throws Exception {
        this.client.getKVClient().put(bytes(key), bytes(value)).get(20, TimeUnit.SECONDS);
    }

    private CompletableFuture<GetResponse> get(String key) {
        return this.client.getKVClient().get(bytes(key));
    }

    private static String value(GetResponse response) {
        return response.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
