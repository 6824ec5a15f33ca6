package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service whose list is larger than the 4 MiB gRPC accepts in one message on jetcd's channel (its default): 300
 * endpoints with 16 KiB of metadata each stand for 100,000 as the registration writes them. Read in one response,
 * the list fails with RESOURCE_EXHAUSTED every time and the service never resolves; read in pages at one revision,
 * it resolves completely and the watch goes on from that revision.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class LargeListTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static final int ENDPOINTS = 300;

    private static final String METADATA = "m".repeat(16 * 1024);

    private final EtcdCluster etcd;

    LargeListTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void aListLargerThanTheInboundMessageLimitResolvesCompletelyAndIsWatchedFromItsRevision() throws Exception {
        try (Client writer = this.etcd.client(); Client resolverClient = this.etcd.client();
                ServiceDirectory watches = ServiceDirectory.builder(resolverClient).build()) {
            CompletableFuture.allOf(IntStream.range(0, ENDPOINTS)
                .mapToObj((i) -> put(writer, "10.4." + (i / 250) + "." + (i % 250) + ":80"))
                .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            Recorder recorder = new Recorder();
            watches.acquire("large-list/").subscribe(recorder);

            await().atMost(DEADLINE).until(() -> recorder.endpoints != null || recorder.error != null);
            assertThat(recorder.error).isNull();
            assertThat(recorder.endpoints).hasSize(ENDPOINTS);

            put(writer, "10.4.9.9:80").get(10, TimeUnit.SECONDS);
            await().atMost(DEADLINE).until(() -> recorder.endpoints.size() == ENDPOINTS + 1);
            writer.getKVClient()
                .delete(bytes("large-list/"), DeleteOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS);
        }
    }

    private static CompletableFuture<?> put(Client writer, String addr) {
        return writer.getKVClient()
            .put(bytes("large-list/" + addr), bytes("{\"Addr\":\"" + addr + "\",\"Metadata\":\"" + METADATA + "\"}"));
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
