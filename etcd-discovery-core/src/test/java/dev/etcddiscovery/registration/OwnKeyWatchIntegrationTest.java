package dev.etcddiscovery.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.internal.LinkProbe;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/** What a closed watch of the own key leaves on etcd. */
@EtcdTest
class OwnKeyWatchIntegrationTest {

    /**
     * jetcd 0.8.5 cancels a watcher on etcd only once etcd confirmed it; closed before, the watcher stays on etcd
     * until the connection drops. The close waits for the confirmation instead.
     */
    @Test
    void watchClosedBeforeEtcdConfirmedItIsCancelledOnceConfirmed(EtcdCluster etcd) throws Exception {
        EtcdMember member = etcd.members().get(0);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (EtcdProxy proxy = EtcdProxy.inFrontOf(etcd.members().get(0));
                Client client = proxy.clientBuilder().build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> member.metrics().watchers() == 0);
            // the connection is up, so that only the watch's answer is held back
            client.getKVClient().get(ByteSequence.from("any", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            proxy.freezeResponses();
            OwnKeyWatch watch = new OwnKeyWatch(client.getWatchClient(),
                    ByteSequence.from("svc-unconfirmed/127.0.0.1:1", StandardCharsets.UTF_8), 1, 1, executor,
                    Duration.ofMinutes(1), LinkProbe.NONE, (generation, events) -> {
                    }, (generation) -> {
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> member.metrics().watchers() == 1);

            watch.close();
            proxy.thaw();

            await().atMost(Duration.ofSeconds(10)).until(() -> member.metrics().watchers() == 0);
        }
        finally {
            executor.shutdownNow();
        }
    }
}
