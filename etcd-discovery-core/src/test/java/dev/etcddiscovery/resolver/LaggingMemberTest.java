package dev.etcddiscovery.resolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdMember;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With several etcd members, the list and the watch can be answered by different members, and one that lags behind
 * answers with an older revision than the list's. That is not a restored cluster: the watch stays. A follower is
 * made to lag for real: stopped (SIGSTOP) while the cluster moves on, then continued; it answers the watch created
 * meanwhile before it has caught up.
 */
@EtcdTest(members = 3)
@Tag("slow")
class LaggingMemberTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void aWatchAnsweredByAMemberThatLagsBehindIsKept(EtcdCluster etcd) throws Exception {
        EtcdMember leader = etcd.leader();
        EtcdMember follower = etcd.members().stream().filter((member) -> member != leader).findFirst().orElseThrow();
        try (Client lists = leader.clientBuilder().build();
                Client watches = follower.clientBuilder().build();
                LogCapture log = LogCapture.resolverDownTo(Level.DEBUG)) {
            // connected before the follower stops, so that its watch requests wait in the connection
            watches.getKVClient().get(bytes("warm-up")).get(10, TimeUnit.SECONDS);
            put(lists, "lagging/a", "10.0.0.1:80");
            signal(follower, "STOP");
            try {
                moveOn(lists, 500);
                try (ServiceDirectory directory = ServiceDirectory.builder(lists)
                    .watchSource(watches.getWatchClient())
                    .build()) {
                    Recorder recorder = new Recorder();
                    directory.acquire("lagging/").subscribe(recorder);
                    await().atMost(DEADLINE).until(() -> log.atLeast(Level.INFO).stream()
                        .anyMatch((line) -> line.startsWith("Watching etcd prefix 'lagging/'")));
                    signal(follower, "CONT");

                    // the follower answers the watch before it has caught up; etcd is checked
                    await().atMost(DEADLINE).until(() -> log.atLeast(Level.DEBUG).stream()
                        .anyMatch((line) -> line.endsWith("lags behind") || line.contains("went back")));
                    assertThat(log.atLeast(Level.INFO)).noneMatch((line) -> line.contains("went back"));
                    put(lists, "lagging/b", "10.0.0.2:80");
                    await().atMost(DEADLINE).until(() -> recorder.endpoints != null && recorder.endpoints.size() == 2);
                    assertThat(directory.snapshots()).singleElement()
                        .satisfies((snapshot) -> assertThat(snapshot.watchRestarts()).isZero());
                }
            }
            finally {
                signal(follower, "CONT");
            }
        }
    }

    /** Writes {@code count} keys outside the watched prefix. */
    private static void moveOn(Client client, int count) throws Exception {
        CompletableFuture<?>[] puts = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            puts[i] = client.getKVClient().put(bytes("elsewhere/" + i), bytes("x"));
        }
        CompletableFuture.allOf(puts).get(60, TimeUnit.SECONDS);
    }

    private static void put(Client client, String key, String addr) throws Exception {
        client.getKVClient().put(bytes(key), bytes("{\"Addr\":\"" + addr + "\"}")).get(10, TimeUnit.SECONDS);
    }

    /** Sends a signal to the member's etcd process, found by its data directory. */
    private static void signal(EtcdMember member, String signal) throws IOException, InterruptedException {
        long pid = ProcessHandle.allProcesses()
            .filter((process) -> process.info()
                .arguments()
                .map((arguments) -> List.of(arguments).contains(member.dataDir().toString()))
                .orElse(false))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no etcd process with " + member.dataDir()))
            .pid();
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
