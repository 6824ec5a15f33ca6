package dev.etcddiscovery.sample.failure;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness through the sample jar: server A publishes {@code REFUSING_TRAFFIC} (the sample's
 * {@code POST /sample/readiness}, as an app that lost a dependency does) while a client calls {@code etcd:///greeter}
 * all along. A's key leaves etcd within a second under the same lease, A still answers direct calls, the client
 * moves to B without a failed call, and Kubernetes' readiness probe reports it too; {@code ACCEPTING_TRAFFIC} puts the
 * key back within a second and calls reach A again. Servers and client are the {@link SharedFleet}'s; A ends accepting
 * traffic, as it started.
 */
@ExtendWith(SharedFleet.Extension.class)
class ReadinessIT {

    /** The bound for the key to go and to come back after a readiness change. */
    private static final long KEY_BOUND_MILLIS = 1000;

    private static final String READINESS = "/sample/readiness";

    private static final String PROBE = "/actuator/health/readiness";

    private final SampleHttp http = new SampleHttp();

    @Test
    void refusingTrafficTakesTheKeyOutAndAcceptingPutsItBack(SharedFleet fleet) throws Exception {
        int httpA = fleet.httpA();
        String a = fleet.a();
        String b = fleet.b();
        ContinuousClient client = fleet.client();
        try (GreeterKeys keys = GreeterKeys.open(fleet.etcd()); GreeterKeyEvents events = keys.follow()) {
            ManagedChannel direct = ManagedChannelBuilder.forTarget(a).usePlaintext().build();
            try {
                long mark = client.awaitAnsweredBy(List.of(a, b));
                long lease = keys.leases().get(a);
                // also the first request of A's web stack, which is slow, before anything is timed
                assertThat(this.http.get(httpA, READINESS).body()).contains("\"state\":\"ACCEPTING_TRAFFIC\"");
                assertThat(this.http.get(httpA, PROBE).statusCode()).isEqualTo(200);
                HttpResponse<String> unknown = this.http.post(httpA, READINESS, "{\"state\":\"BROKEN\"}");
                assertThat(unknown.statusCode()).isEqualTo(400);
                assertThat(unknown.body())
                    .contains("state must be ACCEPTING_TRAFFIC or REFUSING_TRAFFIC, was 'BROKEN'");

                long callsBefore = client.calls().last();
                long refusing = System.nanoTime();
                assertThat(setReadiness(httpA, "REFUSING_TRAFFIC")).contains("\"state\":\"REFUSING_TRAFFIC\"");
                long keyGone = millis(refusing, events.awaitDelete(a, refusing, ContinuousClient.GENEROUS));
                System.out.println("readiness: REFUSING_TRAFFIC -> key gone in " + keyGone + " ms");
                long movedToB = millis(refusing, client.awaitMovedTo(Set.of(b), 50, callsBefore, refusing));
                System.out.println("readiness: REFUSING_TRAFFIC -> calls only to B after " + movedToB + " ms");
                assertThat(DirectCall.answeringInstance(direct)).as("A answers direct calls while refusing traffic").isEqualTo(a);
                assertThat(this.http.get(httpA, PROBE).statusCode()).as("readiness probe of A").isEqualTo(503);
                assertThat(keys.leaseTtl(lease)).as("seconds left of A's lease").isPositive();

                long accepting = System.nanoTime();
                assertThat(setReadiness(httpA, "ACCEPTING_TRAFFIC")).contains("\"state\":\"ACCEPTING_TRAFFIC\"");
                long keyBack = millis(accepting, events.awaitPut(a, accepting, ContinuousClient.GENEROUS));
                System.out.println("readiness: ACCEPTING_TRAFFIC -> key back in " + keyBack + " ms");
                long answeredByA = millis(accepting, client.awaitFirstAnswerBy(a));
                System.out.println("readiness: ACCEPTING_TRAFFIC -> a call answered by A after " + answeredByA
                        + " ms");
                assertThat(keys.leases()).as("A's key back under the same lease").containsEntry(a, lease);
                assertThat(this.http.get(httpA, PROBE).statusCode()).isEqualTo(200);
                client.awaitMoreCalls(50);

                assertThat(keyGone).as("ms from REFUSING_TRAFFIC until A's key was gone").isLessThanOrEqualTo(
                        KEY_BOUND_MILLIS);
                assertThat(keyBack).as("ms from ACCEPTING_TRAFFIC until A's key was back").isLessThanOrEqualTo(
                        KEY_BOUND_MILLIS);
                assertThat(client.calls().after(mark).failures()).as("failed calls; client output in %s",
                        client.outputFile()).isEmpty();
            }
            finally {
                direct.shutdownNow();
            }
        }
    }

    private String setReadiness(int httpPort, String state) throws Exception {
        return this.http.postExpectingOk(httpPort, READINESS, "{\"state\":\"" + state + "\"}");
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
