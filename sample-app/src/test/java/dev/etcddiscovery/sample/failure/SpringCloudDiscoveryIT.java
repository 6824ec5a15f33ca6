package dev.etcddiscovery.sample.failure;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.etcddiscovery.sample.SampleProcess;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample client on {@code discovery:///greeter}: grpc-spring's discovery resolver over Spring Cloud's
 * {@code DiscoveryClient}, which the sample jar carries and the starter implements over etcd. Two servers answer it
 * without a failed call; {@code POST /actuator/serviceregistry} OUT_OF_SERVICE on A moves every call to B within
 * 2 s, UP brings A back; the client's resolver has a third server within 1 s of its key being visible in etcd,
 * and then calls it. A and B are the {@link SharedFleet}'s, A ends UP, as it started; the client and C are this
 * test's own.
 */
@ExtendWith(SharedFleet.Extension.class)
class SpringCloudDiscoveryIT {

    /** The bound for calls to reach only the other server after OUT_OF_SERVICE. */
    private static final long MOVE_BOUND_MILLIS = 2000;

    /** The bound for a client to see a new server after its registration. */
    private static final long NEW_SERVER_BOUND_MILLIS = 1000;

    private static final String SERVICE_REGISTRY = "/actuator/serviceregistry";

    /** grpc-spring's discovery resolver logs each server of a new list, before it hands the list to the channel. */
    private static final String RESOLVER_DEBUG = "--logging.level.net.devh.boot.grpc.client.nameresolver=DEBUG";

    private final SampleHttp http = new SampleHttp();

    @Test
    void discoveryClientsFollowEtcdAndTheServiceRegistryStatus(SharedFleet fleet) throws Exception {
        EtcdCluster etcd = fleet.etcd();
        int httpA = fleet.httpA();
        int grpcC = FreePorts.next();
        String a = fleet.a();
        String b = fleet.b();
        String c = "127.0.0.1:" + grpcC;
        try (GreeterKeys keys = GreeterKeys.open(etcd); GreeterKeyEvents events = keys.follow()) {
            // both registered before the client starts, so that every one of its calls must succeed
            assertThat(keys.leases()).containsKeys(a, b);
            ManagedChannel direct = ManagedChannelBuilder.forTarget(a).usePlaintext().build();
            try (ContinuousClient client = ContinuousClient.start(etcd.endpointList(), "discovery:///greeter",
                    RESOLVER_DEBUG)) {
                client.awaitAnsweredBy(List.of(a, b), ContinuousClient.STARTUP);
                // also the first request of A's web stack, which is slow, before anything is timed
                assertThat(this.http.get(httpA, SERVICE_REGISTRY).body()).isEqualTo("UP");

                long callsBefore = client.calls().last();
                long outOfService = System.nanoTime();
                setStatus(httpA, "OUT_OF_SERVICE");
                long moved = millis(outOfService, client.awaitMovedTo(Set.of(b), 50, callsBefore, outOfService));
                long keyGone = millis(outOfService, events.awaitDelete(a, outOfService, ContinuousClient.GENEROUS));
                System.out.println("discovery: OUT_OF_SERVICE -> key gone in " + keyGone
                        + " ms, calls only to B after " + moved + " ms");
                assertThat(moved).as("ms from OUT_OF_SERVICE until calls reached only B")
                    .isLessThanOrEqualTo(MOVE_BOUND_MILLIS);
                assertThat(this.http.get(httpA, SERVICE_REGISTRY).body()).isEqualTo("OUT_OF_SERVICE");
                assertThat(DirectCall.answeringInstance(direct)).as("A answers direct calls while out of service").isEqualTo(a);

                long up = System.nanoTime();
                setStatus(httpA, "UP");
                long keyBack = millis(up, events.awaitPut(a, up, ContinuousClient.GENEROUS));
                long backToA = millis(up, client.awaitFirstAnswerBy(a));
                System.out.println("discovery: UP -> key back in " + keyBack + " ms, a call answered by A after "
                        + backToA + " ms");

                long starting = System.nanoTime();
                try (SampleProcess serverC = SampleProcess.server(etcd.endpointList(), grpcC)) {
                    long visible = events.awaitPut(c, starting, ContinuousClient.STARTUP);
                    long answered = millis(visible, client.awaitFirstAnswerBy(c));
                    Instant visibleAt = Instant.now().minusNanos(System.nanoTime() - visible);
                    long seen = Duration.between(visibleAt, resolvedAt(client, c)).toMillis();
                    System.out.println("discovery: third server in the client's resolved list " + seen
                            + " ms after its key was visible in etcd, first call answered by it after " + answered
                            + " ms");
                    assertThat(seen).as("ms from C's key in etcd until the client's discovery resolver had C")
                        .isLessThanOrEqualTo(NEW_SERVER_BOUND_MILLIS);
                    client.awaitMoreCalls(50);
                    assertThat(client.calls().failures()).as("failed calls; client output in %s",
                            client.outputFile()).isEmpty();
                    // gracefully, so that its key leaves the shared etcd with it
                    serverC.stop();
                }
            }
            finally {
                direct.shutdownNow();
            }
        }
    }

    /**
     * When the client's discovery resolver first had {@code instance} in a list for its channel: the time of the log
     * line {@code Found gRPC server <instance> for greeter} (same machine, same clock as this JVM's).
     */
    private static Instant resolvedAt(ContinuousClient client, String instance) {
        Pattern found = Pattern.compile("^(\\S+)\\s+DEBUG .*Found gRPC server " + Pattern.quote(instance)
                + " for greeter", Pattern.MULTILINE);
        await().atMost(ContinuousClient.GENEROUS).until(() -> found.matcher(client.output()).find());
        Matcher line = found.matcher(client.output());
        assertThat(line.find()).isTrue();
        return OffsetDateTime.parse(line.group(1)).toInstant();
    }

    private void setStatus(int httpPort, String status) throws Exception {
        this.http.postExpectingOk(httpPort, SERVICE_REGISTRY, "{\"status\":\"" + status + "\"}");
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
