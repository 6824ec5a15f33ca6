package dev.etcddiscovery.sample.failure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
 * Operator control against the sample jar: a greeter server S of this test's (TTL 3 s, drain delay 2 s) joins the
 * {@link SharedFleet}'s two servers and its client calling {@code etcd:///greeter} all along. S is taken out of service
 * with the actuator endpoint (its key goes, it still answers direct calls, clients leave it without a failed call),
 * stays out across an etcd restart while the fleet's servers stay registered, is put back, and is finally stopped with
 * a drain delay of 2 s under the client's load.
 */
@ExtendWith(SharedFleet.Extension.class)
class OperatorControlIT {

    private static final Duration TTL = Duration.ofSeconds(GreeterServers.TTL_SECONDS);

    private static final String ETCD_REGISTRATION = "/actuator/etcdregistration";

    private final SampleHttp http = new SampleHttp();

    @Test
    void outOfServiceSurvivesEtcdRestartComesBackAndStopDrains(SharedFleet fleet) throws Exception {
        EtcdCluster etcd = fleet.etcd();
        int grpcS = FreePorts.next();
        int httpS = FreePorts.next();
        String s = "127.0.0.1:" + grpcS;
        Set<String> others = Set.of(fleet.a(), fleet.b());
        ContinuousClient client = fleet.client();
        try (GreeterKeys keys = GreeterKeys.open(etcd);
                SampleProcess serverS = SampleProcess.server(etcd.endpointList(), grpcS, "--server.port=" + httpS,
                        GreeterServers.TTL_ARG, "--etcd.discovery.registration.drain-delay=2s")) {
            ManagedChannel direct = ManagedChannelBuilder.forTarget(s).usePlaintext().build();
            try {
                long mark = client.awaitAnsweredBy(List.of(s, fleet.a(), fleet.b()), ContinuousClient.STARTUP);

                // also opens the test's own etcd connection, which took seconds on a loaded machine, before timing
                assertThat(keys.leases()).containsKeys(s, fleet.a(), fleet.b());
                assertThat(post(httpS, "OUT_OF_SERVICE")).contains("\"status\":\"OUT_OF_SERVICE\"");
                long outOfService = System.nanoTime();
                await().atMost(ContinuousClient.GENEROUS).until(() -> !keys.leases().containsKey(s));
                log("OUT_OF_SERVICE -> key gone", outOfService);
                client.awaitOnlyAnsweredBy(others, 50);
                assertThat(DirectCall.answeringInstance(direct)).isEqualTo(s);
                assertThat(get(httpS)).contains("\"inEtcd\":false").containsPattern("\"leaseId\":\"[0-9a-f]{16}\"");

                etcd.restart();
                await().during(TTL.multipliedBy(2))
                    .atMost(ContinuousClient.GENEROUS)
                    .until(() -> !keys.leases().containsKey(s) && keys.leases().keySet().containsAll(others));

                post(httpS, "UP");
                long up = System.nanoTime();
                await().atMost(ContinuousClient.GENEROUS).until(() -> keys.leases().containsKey(s));
                log("UP -> key back", up);
                client.awaitAnsweredBy(List.of(s));

                serverS.terminate();
                long keyGone = awaitKeyGone(keys, s);
                long lastAnswer = lastDirectAnswer(direct);
                long servedAfterKeyGone = TimeUnit.NANOSECONDS.toMillis(lastAnswer - keyGone);
                System.out.println("drain: port answered for " + servedAfterKeyGone + " ms after the key was gone");
                assertThat(servedAfterKeyGone).as("ms served after the key was gone").isGreaterThanOrEqualTo(1800);
                // 143 is how a JVM exits after its shutdown hooks ran for a SIGTERM: a graceful stop, not a kill
                assertThat(serverS.awaitExit(60)).isIn(0, 143);
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
