package dev.etcddiscovery.registration;

import java.time.Duration;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

@EtcdTest
class WatchLoopExperimentTest {

    @Test
    void experiment(EtcdCluster etcd) throws Exception {
        EtcdServerMetrics metrics = new EtcdServerMetrics(etcd.members().get(0));
        try (EtcdProxy proxy = EtcdProxy.inFrontOf(etcd.members().get(0));
                Client client = Client.builder().endpoints(proxy.endpoint()).build();
                EtcdServiceRegistry registry = new EtcdServiceRegistry(client, "", Duration.ofSeconds(2), Duration.ofSeconds(10))) {
            RegistrationHandle handle = registry.register("svc-loop", "127.0.0.1:7300", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> handle.snapshot().state() == RegistrationState.REGISTERED);
            System.out.println("EXP registered: watches started " + metrics.watchCallsStarted() + " streams " + metrics.watchStreams() + " watchers " + metrics.watchers());
            for (int i = 0; i < 3; i++) {
                proxy.partition();
                Thread.sleep(1000);
                proxy.heal();
                Thread.sleep(4000);
                System.out.println("EXP after partition " + i + ": watches started " + metrics.watchCallsStarted() + " streams " + metrics.watchStreams() + " watchers " + metrics.watchers());
            }
            handle.close();
            Thread.sleep(1000);
            System.out.println("EXP after close: watches started " + metrics.watchCallsStarted() + " streams " + metrics.watchStreams() + " watchers " + metrics.watchers());
        }
        Thread.sleep(1000);
        System.out.println("EXP after client close: watches started " + metrics.watchCallsStarted() + " streams " + metrics.watchStreams() + " watchers " + metrics.watchers());
    }
}
