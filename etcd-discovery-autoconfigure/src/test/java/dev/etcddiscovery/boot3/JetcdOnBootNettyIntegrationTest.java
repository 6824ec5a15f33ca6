package dev.etcddiscovery.boot3;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import io.netty.util.Version;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * jetcd on the Netty that Spring Boot manages (no override in this build): the client bean of the
 * auto-configuration puts, watches a prefix and keeps a lease alive against a real etcd.
 */
@EtcdTest
@Tag("slow")
class JetcdOnBootNettyIntegrationTest {

    @Test
    void putPrefixWatchAndLeaseLifecycleWork(EtcdCluster etcd) {
        assertThat(Version.identify().get("netty-common").artifactVersion()).startsWith("4.1.");
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList())
            .run((context) -> exercise(context.getBean(Client.class)));
    }

    private void exercise(Client client) throws Exception {
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        Watch.Watcher watcher = client.getWatchClient()
            .watch(bytes("svc/"), WatchOption.builder().isPrefix(true).build(),
                    (response) -> events.addAll(response.getEvents()));
        long leaseId = client.getLeaseClient().grant(2).get(10, TimeUnit.SECONDS).getID();
        List<LeaseKeepAliveResponse> keepAlives = new CopyOnWriteArrayList<>();
        CloseableClient keepAlive = client.getLeaseClient().keepAlive(leaseId, observer(keepAlives));
        client.getKVClient()
            .put(bytes("svc/a"), bytes("1"), PutOption.builder().withLeaseId(leaseId).build())
            .get(10, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() == 1);
        assertThat(events.get(0).getEventType()).isEqualTo(WatchEvent.EventType.PUT);
        // keepalives outlive the 2 s TTL: at least two answers mean the lease was renewed
        await().atMost(15, TimeUnit.SECONDS).until(() -> keepAlives.size() >= 2);
        assertThat(client.getKVClient().get(bytes("svc/a")).get(10, TimeUnit.SECONDS).getCount()).isOne();

        keepAlive.close();
        client.getLeaseClient().revoke(leaseId).get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() == 2);
        assertThat(events.get(1).getEventType()).isEqualTo(WatchEvent.EventType.DELETE);
        watcher.close();
    }

    private static StreamObserver<LeaseKeepAliveResponse> observer(List<LeaseKeepAliveResponse> sink) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                sink.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
