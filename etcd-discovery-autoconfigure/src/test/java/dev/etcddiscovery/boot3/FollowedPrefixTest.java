package dev.etcddiscovery.boot3;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.etcddiscovery.resolver.EtcdAttributes;
import dev.etcddiscovery.resolver.FollowedPrefix;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import io.grpc.EquivalentAddressGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ServiceDirectory#follow}: the shared watch of a prefix for code other than a gRPC channel. */
@EtcdTest
class FollowedPrefixTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final EtcdCluster etcd;

    FollowedPrefixTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void keepsTheListedEndpointsTellsOfLaterListsAndGivesTheWatchBackOnClose() throws Exception {
        this.etcd.etcdctl("put", "followed/a", "{\"Addr\":\"127.0.0.1:7201\"}");
        List<List<EquivalentAddressGroup>> later = new CopyOnWriteArrayList<>();
        try (Client client = this.etcd.client(); ServiceDirectory directory = ServiceDirectory.builder(client).build()) {
            FollowedPrefix followed = directory.follow("followed/", later::add);
            assertThat(followed.awaitFirstList(DEADLINE)).isTrue();
            assertThat(followed.endpoints()).extracting((group) -> group.getAttributes().get(EtcdAttributes.ETCD_KEY))
                .containsExactly("followed/a");
            assertThat(later).isEmpty();

            // a second follower shares the watch and is handed the current list at once
            FollowedPrefix second = directory.follow("followed/", (endpoints) -> {
            });
            assertThat(second.awaitFirstList(DEADLINE)).isTrue();
            assertThat(second.endpoints()).hasSize(1);
            assertThat(directory.snapshots()).hasSize(1);

            this.etcd.etcdctl("put", "followed/b", "{\"Addr\":\"127.0.0.1:7202\"}");
            await().atMost(DEADLINE).until(() -> followed.endpoints().size() == 2 && !later.isEmpty());

            followed.close();
            assertThat(directory.snapshots()).hasSize(1);
            second.close();
            assertThat(directory.snapshots()).isEmpty();
        }
    }

    @Test
    void aPrefixThatCannotBeListedIsReportedAsNotListed() throws Exception {
        try (Client client = this.etcd.client();
                ServiceDirectory directory = ServiceDirectory.builder(client)
                    .requestTimeout(Duration.ofMillis(500))
                    .build()) {
            this.etcd.stop();
            try {
                FollowedPrefix followed = directory.follow("unlisted/", (endpoints) -> {
                });
                assertThat(followed.awaitFirstList(DEADLINE)).isFalse();
                assertThat(followed.endpoints()).isEmpty();
            }
            finally {
                this.etcd.restart();
            }
        }
    }
}
