package dev.etcddiscovery.jetcd;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdMetrics.Watches;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.EtcdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.DEADLINE;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.PREFIX;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link MultiplexedWatch} on a three-member cluster: the member carrying the stream is killed, or loses its
 * leader. Every watcher on the stream gets an error, and new watchers work on a member that is fine.
 */
@EtcdTest(members = 3)
@Tag("slow")
@Tag("library-versions")
class MultiplexedWatchFailoverTest {

    private final EtcdCluster etcd;

    private Client client;

    private Watch watch;

    MultiplexedWatchFailoverTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @BeforeEach
    void connect() {
        this.client = this.etcd.client();
        this.watch = MultiplexedWatch.forClient(this.client);
    }

    @AfterEach
    void restoreCluster() {
        this.watch.close();
        this.client.close();
        this.etcd.members().stream().filter((member) -> !member.isRunning()).forEach(EtcdMember::start);
        this.etcd.members().forEach((member) -> member.awaitReady(DEADLINE));
    }

    @Test
    void killingTheMemberOfTheStreamEndsEveryWatcherAndNewWatchersWorkOnAnother() {
        List<RecordingListener> first = watchFivePrefixes();
        EtcdMember carrier = awaitStreamMember();
        carrier.kill();
        await().atMost(DEADLINE).until(() -> first.stream().allMatch((listener) -> !listener.errors.isEmpty()));
        assertThat(first).allSatisfy((listener) -> assertThat(listener.errors).singleElement()
            .isInstanceOf(EtcdException.class));

        List<RecordingListener> second = watchFivePrefixes();
        EtcdMember newCarrier = awaitStreamMember();
        assertThat(newCarrier).isNotSameAs(carrier);
        IntStream.range(0, 5).forEach((i) -> putEventually("failover/" + i + "/x"));
        await().atMost(DEADLINE).until(() -> IntStream.range(0, 5)
            .allMatch((i) -> second.get(i).keys().equals(List.of("failover/" + i + "/x"))));
        assertThat(second).allSatisfy((listener) -> assertThat(listener.errors).isEmpty());
    }

    @Test
    void aMemberThatLostItsLeaderEndsTheStreamInsteadOfKeepingItsWatchersSilent() {
        List<RecordingListener> listeners = watchFivePrefixes();
        EtcdMember carrier = awaitStreamMember();
        this.etcd.members().stream().filter((member) -> member != carrier).forEach(EtcdMember::kill);
        await().atMost(DEADLINE).until(() -> listeners.stream().allMatch((listener) -> !listener.errors.isEmpty()));
        assertThat(listeners).allSatisfy((listener) -> assertThat(listener.errors).singleElement()
            .satisfies((error) -> assertThat(error).hasMessageContaining("no leader")));
    }

    private List<RecordingListener> watchFivePrefixes() {
        List<RecordingListener> listeners = IntStream.range(0, 5).mapToObj((i) -> new RecordingListener()).toList();
        for (int i = 0; i < listeners.size(); i++) {
            this.watch.watch(bytes("failover/" + i + "/"), PREFIX, listeners.get(i));
        }
        return listeners;
    }

    /** The one member that holds a watch stream with the five watchers, once it does. */
    private EtcdMember awaitStreamMember() {
        return await().atMost(DEADLINE).until(() -> {
            List<EtcdMember> carriers = this.etcd.members()
                .stream()
                .filter(EtcdMember::isRunning)
                .filter((member) -> member.metrics().watches().equals(new Watches(1, 5)))
                .toList();
            return (carriers.size() == 1) ? carriers.get(0) : null;
        }, (member) -> member != null);
    }

    /** A put through the client, tried again while jetcd's channel still picks the killed member. */
    private void putEventually(String key) {
        await().atMost(DEADLINE).ignoreExceptions().until(() -> {
            this.client.getKVClient().put(bytes(key), bytes("1")).get(5, TimeUnit.SECONDS);
            return true;
        });
    }
}
