package dev.etcddiscovery.sample.failure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.SampleProcess;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operator control against the sample jar, one fleet for every check: two greeter servers and a client calling
 * {@code etcd:///greeter} all along. Server A is taken out of service with the actuator endpoint (its key goes, it
 * still answers direct calls, clients leave it without a failed call), stays out across an etcd restart, is put
 * back, and is finally stopped with a drain delay of 2 s under the client's load.
 */
@EtcdTest
class OperatorControlIT {

    private static final int TTL_SECONDS = 3;

    private static final String ETCD_REGISTRATION = "/actuator/etcdregistration";

    private final SampleHttp http = new SampleHttp();

    @Test
    void outOfServiceSurvivesEtcdRestartComesBackAndStopDrains(EtcdCluster etcd) throws Exception {
        int grpcA = FreePorts.next();
        int httpA = FreePorts.next();
        int grpcB = FreePorts.next();
        String a = "127.0.0.1:" + grpcA;
        String b = "127.0.0.1:" + grpcB;
        try (GreeterKeys keys = GreeterKeys.open(etcd);
                SampleProcess serverA = SampleProcess.server(etcd.endpointList(), grpcA, "--server.port=" + httpA,
                        "--etcd.discovery.registration.ttl=" + TTL_SECONDS + "s",
                        "--etcd.discovery.registration.drain-delay=2s");
                SampleProcess serverB = SampleProcess.server(etcd.endpointList(), grpcB,
                        "--etcd.discovery.registration.ttl=" + TTL_SECONDS + "s");
                ContinuousClient client = ContinuousClient.start(etcd.endpointList())) {
            ManagedChannel direct = ManagedChannelBuilder.forTarget(a).usePlaintext().build();
            try {
                long mark = client.awaitAnsweredBy(List.of(a, b), ContinuousClient.STARTUP);

                // also opens the test's own etcd connection, which took seconds on a loaded machine, before timing
                assertThat(keys.leases()).containsKeys(a, b);
                assertThat(post(httpA, "OUT_OF_SERVICE")).contains("\"status\":\"OUT_OF_SERVICE\"");
                long outOfService = System.nanoTime();
                await().atMost(ContinuousClient.GENEROUS).until(() -> !keys.leases().containsKey(a));
                log("OUT_OF_SERVICE -> key gone", outOfService);
                client.awaitOnlyAnsweredBy(Set.of(b), 50);
                assertThat(DirectCall.answeringInstance(direct)).isEqualTo(a);
                assertThat(get(httpA)).contains("\"inEtcd\":false").containsPattern("\"leaseId\":\"[0-9a-f]{16}\"");

                etcd.restart();
                await().during(Duration.ofSeconds(2L * TTL_SECONDS))
                    .atMost(ContinuousClient.GENEROUS)
                    .until(() -> !keys.leases().containsKey(a) && keys.leases().containsKey(b));

                post(httpA, "UP");
                long up = System.nanoTime();
                await().atMost(ContinuousClient.GENEROUS).until(() -> keys.leases().containsKey(a));
                log("UP -> key back", up);
                client.awaitAnsweredBy(List.of(a));

                serverA.terminate();
                long keyGone = awaitKeyGone(keys, a);
                long lastAnswer = lastDirectAnswer(direct);
                long servedAfterKeyGone = TimeUnit.NANOSECONDS.toMillis(lastAnswer - keyGone);
                System.out.println("drain: port answered for " + servedAfterKeyGone + " ms after the key was gone");
                assertThat(servedAfterKeyGone).as("ms served after the key was gone").isGreaterThanOrEqualTo(1800);
                // 143 is how a JVM exits after its shutdown hooks ran for a SIGTERM: a graceful stop, not a kill
                assertThat(serverA.awaitExit(60)).isIn(0, 143);
                client.awaitMoreCalls(50);

                CallLog window = client.calls().after(mark);
                assertThat(window.failures()).as("failed calls; client output in %s", client.outputFile()).isEmpty();
            }
            finally {
                direct.shutdownNow();
            }
        }
    }

    private String post(int httpPort, String status) throws Exception {
        return this.http.postExpectingOk(httpPort, ETCD_REGISTRATION, "{\"status\":\"" + status + "\"}");
    }

    private String get(int httpPort) throws Exception {
        return this.http.get(httpPort, ETCD_REGISTRATION).body();
    }

    /** Polls etcd until the key is gone and returns when that was seen (a measurement, not a synchronisation). */
    private static long awaitKeyGone(GreeterKeys keys, String instance) {
        await().pollInterval(Duration.ofMillis(5)).atMost(ContinuousClient.GENEROUS)
            .until(() -> !keys.leases().containsKey(instance));
        return System.nanoTime();
    }

    /** Calls the server directly until a call fails, and returns when the last one was answered. */
    private static long lastDirectAnswer(ManagedChannel channel) {
        long last = System.nanoTime();
        long deadline = last + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                DirectCall.answeringInstance(channel);
                last = System.nanoTime();
            }
            catch (RuntimeException ex) {
                return last;
            }
        }
        throw new IllegalStateException("the server still answered 60 s after its key was gone");
    }

    private static void log(String what, long startNanos) {
        System.out.println(what + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms");
    }
}
