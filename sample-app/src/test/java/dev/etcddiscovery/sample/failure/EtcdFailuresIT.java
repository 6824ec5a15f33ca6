package dev.etcddiscovery.sample.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdProxy;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What etcd can do to a running fleet: two greeter servers (TTL 3 s; the second reaches etcd through an
 * {@link EtcdProxy} that can cut it off) and a client calling all along. Each test starts from a healthy fleet (both
 * servers answering) and ends with no failed call since then. The fleet is shared because each JVM takes seconds to start.
 */
@EtcdTest
@TestMethodOrder(MethodOrderer.MethodName.class)
class EtcdFailuresIT {

    private static final Duration TTL = Duration.ofSeconds(GreeterServers.TTL_SECONDS);

    private static final Pattern SKIPPED_KEY = Pattern.compile("WARN .*Skipping etcd key '(greeter/[^']+)'");

    private static EtcdProxy proxy;

    private static GreeterServers servers;

    private static ContinuousClient client;

    private static FleetChecks fleet;

    private static String direct;

    private static String partitionable;

    private long mark;

    @BeforeAll
    static void startFleet(EtcdCluster etcd) throws Exception {
        proxy = EtcdProxy.inFrontOf(etcd.endpoint());
        servers = new GreeterServers();
        client = ContinuousClient.start(etcd.endpointList());
        List<String> started = servers.start(etcd.endpointList(), proxy.endpoint());
        direct = started.get(0);
        partitionable = started.get(1);
        fleet = new FleetChecks(servers, client);
        // the JVMs start here; each test's own wait for a healthy fleet is then about the fleet, not the start
        client.awaitAnsweredBy(started, ContinuousClient.STARTUP);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        try {
            client.close();
            servers.close();
        }
        finally {
            proxy.close();
        }
    }

    @BeforeEach
    void awaitHealthyFleet() {
        this.mark = client.awaitAnsweredBy(servers.instances());
    }

    @Test
    void aThousandMalformedValuesAreEachSkippedWithOneWarning(EtcdCluster etcd) throws Exception {
        Map<String, String> malformed = new LinkedHashMap<>();
        List<String> shapes = List.of("not json {", "[\"127.0.0.1:1\"]", "{\"Metadata\":\"no Addr\"}",
                "{\"Addr\":42}", "{\"Addr\":\"127.0.0.1\"}");
        for (int i = 0; i < 1000; i++) {
            malformed.put("greeter/malformed-" + i, shapes.get(i % shapes.size()));
        }
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            keys.putAll(malformed);
            await().atMost(ContinuousClient.GENEROUS)
                .untilAsserted(() -> assertThat(Set.copyOf(skippedKeys())).containsAll(malformed.keySet()));
            client.awaitMoreCalls(50);

            assertThat(skippedKeys()).as("one WARN per malformed key").hasSameSizeAs(malformed.keySet());
            assertWindowWithoutFailures();
            keys.deletePrefix("greeter/malformed-");
        }
    }

    @Test
    void etcdKilledAndRestartedFailsNoCallAndKeepsRegistrations(EtcdCluster etcd) throws Exception {
        fleet.etcdKilledAndRestartedFailsNoCallAndKeepsRegistrations(etcd, Duration.ofSeconds(2), this.mark);
    }

    /**
     * The resolver reads the new, empty cluster as soon as it is back, which may be before the servers have put their
     * keys again; it keeps the last list until they have (etcd.discovery.resolver.new-cluster-grace-period), so no
     * call fails in between.
     */
    @Test
    void etcdWipedGetsRegistrationsBackWithinTheTtlAndClientsFollow(EtcdCluster etcd) throws Exception {
        etcd.wipe();
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            await().atMost(TTL)
                .untilAsserted(() -> assertThat(keys.leases().keySet()).isEqualTo(servers.instances()));
            // the client watches the new cluster: it reads (and skips) a value written there
            keys.put("greeter/written-after-wipe", "not an endpoint");
            await().atMost(ContinuousClient.GENEROUS)
                .untilAsserted(() -> assertThat(skippedKeys()).contains("greeter/written-after-wipe"));
            keys.deletePrefix("greeter/written-after-wipe");
        }
        long followed = client.awaitAnsweredBy(servers.instances());
        assertThat(client.calls().after(this.mark).failures()).as("calls failed after the wipe; client output in %s",
                client.outputFile())
            .isEmpty();
        client.awaitMoreCalls(25);
        fleet.assertNoFailureSince(followed);
    }

    @Test
    void partitionedServerDropsOutAndComesBackWithANewLease(EtcdCluster etcd) throws Exception {
        try (GreeterKeys keys = GreeterKeys.open(etcd)) {
            long oldLease = keys.leases().get(partitionable);
            long partitionedAt = System.nanoTime();
            // a silent partition (nothing passes, nothing is closed): the server's keep-alive stream gets no error
            proxy.freeze();
            try {
                await().atMost(ContinuousClient.GENEROUS)
                    .untilAsserted(() -> assertThat(keys.leases()).as("keys once the lease expired in etcd")
                        .doesNotContainKey(partitionable));
                client.awaitOnlyAnsweredBy(Set.of(direct), 25);
                // the partition lasts TTL + 2 s: its length is the scenario, not a synchronisation
                long elapsedMillis = (System.nanoTime() - partitionedAt) / 1_000_000;
                Thread.sleep(Math.max(0, TTL.plusSeconds(2).toMillis() - elapsedMillis));
            }
            finally {
                proxy.thaw();
            }

            await().atMost(ContinuousClient.GENEROUS)
                .untilAsserted(() -> assertThat(keys.leases()).containsKey(partitionable)
                    .doesNotContainEntry(partitionable, oldLease));
            assertThat(keys.leaseTtl(oldLease)).as("TTL of the lease from before the partition").isEqualTo(-1);
        }
        client.awaitAnsweredBy(Set.of(partitionable));
        assertWindowWithoutFailures();
    }

    private void assertWindowWithoutFailures() {
        fleet.assertNoFailureSince(this.mark);
    }

    private static List<String> skippedKeys() {
        Matcher matcher = SKIPPED_KEY.matcher(client.output());
        List<String> keys = new ArrayList<>();
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }
}
