package dev.etcddiscovery.jetcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link MultiplexedWatch} sends a stream's create requests one at a time, each once the previous one is answered,
 * as etcd's Go client does: a created answer carries no trace of its request, so answers are matched to requests by
 * order, and etcd's gRPC proxy does not keep that order (it answers at once for a range it already watches, only
 * after etcd for a new one). With more than one create in flight, benchmark 11 found two services' watches swapped
 * through the proxy: one service's puts handed to the other's listener. Here etcd's answers are held back by the
 * kit's {@link EtcdProxy}, and etcd's own count of watchers shows how many creates reached it.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class MultiplexedWatchCreateOrderTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EtcdCluster etcd;

    MultiplexedWatchCreateOrderTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void aStreamHasOneCreateRequestInFlightAtATime() throws Exception {
        try (EtcdProxy link = EtcdProxy.inFrontOf(this.etcd.members().get(0));
                Client client = link.clientBuilder().build();
                Watch watch = MultiplexedWatch.forClient(client)) {
            // connected first: the connection's own handshake needs etcd's answers
            client.getKVClient().get(prefix("first/")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            link.freezeResponses();
            RecordingListener first = new RecordingListener();
            RecordingListener second = new RecordingListener();
            try (Watch.Watcher firstWatcher = watch.watch(prefix("first/"), MultiplexedWatchIntegrationTest.PREFIX,
                    first);
                    Watch.Watcher secondWatcher = watch.watch(prefix("second/"),
                            MultiplexedWatchIntegrationTest.PREFIX, second)) {
                await().atMost(DEADLINE).until(() -> watchers() > 0);
                // the second create waits for the first one's answer, which the link holds back
                await("etcd holding the first create's watcher only, while its answer is held back")
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(this::watchers, (watchers) -> watchers == 1);

                link.thaw();
                await().atMost(DEADLINE).until(() -> watchers() == 2);
                await().atMost(DEADLINE).until(() -> {
                    this.etcd.etcdctl("put", "first/probe", "1");
                    this.etcd.etcdctl("put", "second/probe", "1");
                    return !first.events().isEmpty() && !second.events().isEmpty();
                });
                assertThat(first.keys()).allMatch((key) -> key.startsWith("first/"));
                assertThat(second.keys()).allMatch((key) -> key.startsWith("second/"));
            }
        }
    }

    private long watchers() {
        return this.etcd.members().get(0).metrics().watchers();
    }

    private static ByteSequence prefix(String prefix) {
        return ByteSequence.from(prefix, StandardCharsets.UTF_8);
    }
}
