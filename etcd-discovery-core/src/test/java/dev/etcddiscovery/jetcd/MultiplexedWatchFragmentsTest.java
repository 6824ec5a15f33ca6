package dev.etcddiscovery.jetcd;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.DEADLINE;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A watch response larger than the client accepts in one message: etcd splits it into fragments (it splits at its
 * request limit plus 512 KiB) and the watcher gets it whole. Unsplit, the message would exceed the client's inbound
 * limit and fail the stream, and with it every watcher of the client.
 */
@Tag("slow")
@Tag("library-versions")
class MultiplexedWatchFragmentsTest {

    private static final int KEYS = 200;

    private static final String VALUE = "x".repeat(4096);

    @Test
    void aResponseLargerThanTheInboundLimitArrivesInFragmentsAndIsDeliveredWhole() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.builder().args("--max-request-bytes", "65536").start();
                Client client = etcd.clientBuilder().maxInboundMessageSize(700 * 1024).build();
                Watch watch = MultiplexedWatch.forClient(client)) {
            long first = 0;
            for (int i = 0; i < KEYS; i++) {
                long revision = client.getKVClient()
                    .put(bytes(String.format("large/%03d", i)), bytes(VALUE))
                    .get(10, TimeUnit.SECONDS)
                    .getHeader()
                    .getRevision();
                first = (first == 0) ? revision : first;
            }
            // a watcher catching up from the first revision gets all of them in one response of about 830 KB
            RecordingListener listener = new RecordingListener();
            watch.watch(bytes("large/"), WatchOption.builder().isPrefix(true).withRevision(first).build(), listener);
            await().atMost(DEADLINE).until(() -> listener.events().size() >= KEYS || listener.ended());
            assertThat(listener.errors).isEmpty();
            assertThat(listener.responses).hasSize(1);
            assertThat(listener.keys()).containsExactlyElementsOf(
                    IntStream.range(0, KEYS).mapToObj((i) -> String.format("large/%03d", i)).toList());
        }
    }
}
