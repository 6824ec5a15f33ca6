package dev.etcddiscovery.jetcd;

import java.util.List;

import dev.etcddiscovery.test.EtcdCertificates;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdClusterBuilder;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdMetrics.Watches;
import dev.etcddiscovery.test.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.DEADLINE;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.PREFIX;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link MultiplexedWatch} on jetcd's channel and token: TLS, mutual TLS, and an RBAC user allowed one prefix, whose
 * token etcd may stop accepting. etcd serves its metrics on a plain-http URL of their own here.
 */
@Tag("slow")
@Tag("library-versions")
class MultiplexedWatchSecurityTest {

    private static EtcdCertificates certificates;

    private EtcdCluster etcd;

    private String metrics;

    @BeforeAll
    static void generateCertificates() {
        certificates = EtcdCertificates.generate("greeter");
    }

    @AfterEach
    void stopEtcd() {
        if (this.etcd != null) {
            this.etcd.close();
        }
    }

    @Test
    void watchesOverTls() throws Exception {
        start(EtcdCluster.builder().tls(certificates));
        watchTwoPrefixesOnOneStream(this.etcd.clientBuilder());
    }

    @Test
    void watchesOverMutualTls() throws Exception {
        start(EtcdCluster.builder().tls(certificates).clientCertAuth());
        watchTwoPrefixesOnOneStream(this.etcd.clientBuilder());
    }

    @Test
    void anRbacUserIsRefusedAPrefixOfOthersWhileItsOwnWatchersGoOn() {
        start(EtcdCluster.builder());
        enableAuthWithGreeterUser();
        try (Client client = greeter(); Watch watch = MultiplexedWatch.forClient(client)) {
            RecordingListener own = new RecordingListener();
            RecordingListener others = new RecordingListener();
            watch.watch(bytes("greeter/"), PREFIX, own);
            watch.watch(bytes("other/"), PREFIX, others);
            await().atMost(DEADLINE).until(() -> !others.errors.isEmpty());
            assertThat(others.errors).singleElement()
                .isInstanceOfSatisfying(EtcdException.class,
                        (error) -> assertThat(error.getErrorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED));
            rootPut("greeter/a", "1");
            await().atMost(DEADLINE).until(() -> own.keys().contains("greeter/a"));
            assertThat(own.errors).isEmpty();
            assertThat(count()).isEqualTo(new Watches(1, 1));
        }
    }

    @Test
    void aRejectedTokenSendsNewWatchersToANewStreamWithANewToken() {
        start(EtcdCluster.builder());
        enableAuthWithGreeterUser();
        try (Client client = greeter(); Watch watch = MultiplexedWatch.forClient(client)) {
            RecordingListener before = new RecordingListener();
            Watch.Watcher old = watch.watch(bytes("greeter/before/"), PREFIX, before);
            await().atMost(DEADLINE).until(this::count, new Watches(1, 1)::equals);
            // disabling auth drops every token etcd issued
            this.etcd.etcdctl("--user=root:rootpw", "auth", "disable");
            this.etcd.etcdctl("auth", "enable");

            RecordingListener refused = new RecordingListener();
            watch.watch(bytes("greeter/after/"), PREFIX, refused);
            await().atMost(DEADLINE).until(() -> !refused.errors.isEmpty());
            assertThat(refused.errors).singleElement()
                .isInstanceOfSatisfying(EtcdException.class,
                        (error) -> assertThat(error.getErrorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED));

            RecordingListener after = new RecordingListener();
            watch.watch(bytes("greeter/after/"), PREFIX, after);
            await().atMost(DEADLINE).until(this::count, new Watches(2, 2)::equals);
            rootPut("greeter/after/x", "1");
            rootPut("greeter/before/x", "1");
            await().atMost(DEADLINE).until(() -> after.keys().contains("greeter/after/x")
                    && before.keys().contains("greeter/before/x"));
            assertThat(after.errors).isEmpty();
            old.close();
            await().atMost(DEADLINE).until(this::count, new Watches(1, 1)::equals);
        }
    }

    private void watchTwoPrefixesOnOneStream(ClientBuilder builder) throws Exception {
        try (Client client = builder.build(); Watch watch = MultiplexedWatch.forClient(client)) {
            List<RecordingListener> listeners = List.of(new RecordingListener(), new RecordingListener());
            watch.watch(bytes("tls/a/"), PREFIX, listeners.get(0));
            watch.watch(bytes("tls/b/"), PREFIX, listeners.get(1));
            await().atMost(DEADLINE).until(this::count, new Watches(1, 2)::equals);
            client.getKVClient().put(bytes("tls/a/1"), bytes("1")).get();
            client.getKVClient().put(bytes("tls/b/1"), bytes("1")).get();
            await().atMost(DEADLINE)
                .until(() -> listeners.get(0).keys().equals(List.of("tls/a/1"))
                        && listeners.get(1).keys().equals(List.of("tls/b/1")));
        }
        await().atMost(DEADLINE).until(this::count, new Watches(0, 0)::equals);
    }

    private void start(EtcdClusterBuilder builder) {
        this.metrics = "http://127.0.0.1:" + FreePorts.next();
        this.etcd = builder.args("--listen-metrics-urls", this.metrics).start();
    }

    private void enableAuthWithGreeterUser() {
        this.etcd.etcdctl("user", "add", "root:rootpw");
        this.etcd.etcdctl("role", "add", "greeter-rw");
        this.etcd.etcdctl("role", "grant-permission", "--prefix=true", "greeter-rw", "readwrite", "greeter/");
        this.etcd.etcdctl("user", "add", "greeter:greeterpw");
        this.etcd.etcdctl("user", "grant-role", "greeter", "greeter-rw");
        this.etcd.etcdctl("auth", "enable");
    }

    private Client greeter() {
        return this.etcd.clientBuilder().user(ByteSequence.from("greeter".getBytes()))
            .password(ByteSequence.from("greeterpw".getBytes()))
            .build();
    }

    private void rootPut(String key, String value) {
        this.etcd.etcdctl("--user=root:rootpw", "put", key, value);
    }

    private Watches count() {
        return EtcdMetrics.read(this.metrics).watches();
    }
}
