package dev.etcddiscovery.jetcd;

import java.util.ArrayList;
import java.util.List;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMetrics;
import dev.etcddiscovery.test.EtcdMetrics.Watches;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.ForwardingClient;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.DEADLINE;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.PREFIX;
import static dev.etcddiscovery.jetcd.MultiplexedWatchIntegrationTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * What etcd keeps once watchers are closed: jetcd 0.8.5's own watch (etcd-io/jetcd#1510) next to ours, and the
 * fallback to jetcd's watch for a {@link Client} that is not jetcd's own.
 */
@EtcdTest
@Tag("slow")
@Tag("library-versions")
class JetcdWatchComparisonTest {

    private static final WatchOption CREATE_NOTIFY = WatchOption.builder().isPrefix(true).withCreateNotify(true).build();

    private final EtcdCluster etcd;

    JetcdWatchComparisonTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @BeforeEach
    void etcdHoldsNoWatch() {
        awaitCount(0, 0);
    }

    @Test
    void jetcdsOwnWatchLeavesItsStreamsOnEtcdUntilTheConnectionDrops() {
        assumeThat(Client.class.getProtectionDomain().getCodeSource().getLocation().toString())
            .as("etcd-io/jetcd#1510 is fixed from jetcd 0.8.6").contains("jetcd-core-0.8.5");
        Client client = newClient();
        try {
            closeTenConfirmedWatchers(client.getWatchClient());
            // etcd processed the cancel jetcd sends before half-closing, and still holds every stream
            awaitCount(10, 0);
        }
        finally {
            client.close();
        }
        awaitCount(0, 0);
    }

    @Test
    void multiplexedWatchLeavesNothingOnEtcdWhileTheConnectionStays() {
        Client client = newClient();
        try (Watch watch = MultiplexedWatch.forClient(client)) {
            assertThat(watch).isInstanceOf(MultiplexedWatch.class);
            closeTenConfirmedWatchers(watch);
            awaitCount(0, 0);
        }
        finally {
            client.close();
        }
    }

    @Test
    void aThousandPrefixesAreOneStreamOnEtcd() {
        Client client = newClient();
        try (Watch watch = MultiplexedWatch.forClient(client)) {
            List<Watch.Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                watchers.add(watch.watch(bytes("thousand/" + i + "/"), PREFIX, new RecordingListener()));
            }
            awaitCount(1, 1000);
            watchers.forEach(Watch.Watcher::close);
            awaitCount(0, 0);
        }
        finally {
            client.close();
        }
    }

    @Test
    void aClientOfItsOwnGetsItsOwnWatchAndClosingTheViewLeavesTheApplicationsWatchers() {
        Client jetcd = newClient();
        try {
            Client own = new DelegatingClient(jetcd);
            Watch watch = MultiplexedWatch.forClient(own);
            assertThat(watch).isInstanceOf(JetcdWatchView.class);
            RecordingListener ours = new RecordingListener();
            RecordingListener application = new RecordingListener();
            watch.watch(bytes("own/"), CREATE_NOTIFY, ours);
            Watch.Watcher applications = jetcd.getWatchClient().watch(bytes("own/"), CREATE_NOTIFY, application);
            await().atMost(DEADLINE).until(() -> ours.responses.size() == 1 && application.responses.size() == 1);
            watch.close();
            assertThat(ours.completions).hasValue(1);
            assertThat(applications.isClosed()).isFalse();
            assertThat(application.completions).hasValue(0);
            applications.close();
        }
        finally {
            jetcd.close();
        }
    }

    private void closeTenConfirmedWatchers(Watch watch) {
        List<Watch.Watcher> watchers = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RecordingListener listener = new RecordingListener();
            watchers.add(watch.watch(bytes("compare/" + i + "/"), CREATE_NOTIFY, listener));
            listeners.add(listener);
        }
        await().atMost(DEADLINE).until(() -> listeners.stream().allMatch((listener) -> !listener.responses.isEmpty()));
        assertThat(count().watchers()).isEqualTo(10);
        watchers.forEach(Watch.Watcher::close);
        assertThat(listeners).allSatisfy((listener) -> assertThat(listener.completions).hasValue(1));
    }

    private Client newClient() {
        return this.etcd.client();
    }

    private void awaitCount(long streams, long watchers) {
        Watches expected = new Watches(streams, watchers);
        await().atMost(DEADLINE).until(this::count, expected::equals);
    }

    private Watches count() {
        return EtcdMetrics.watchesOf(this.etcd.members());
    }

    /** An application's own {@link Client} implementation, here one that hands out a jetcd client's parts. */
    private static final class DelegatingClient extends ForwardingClient {

        DelegatingClient(Client client) {
            super(client);
        }
    }
}
