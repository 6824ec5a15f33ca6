package dev.etcddiscovery.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.SampleProcess.Launch;
import dev.etcddiscovery.sample.SampleProcess.Line;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real jar as separate processes, started with {@code java -Dspring.aot.enabled=true -jar} (the other ITs start
 * the same application from its CDS layout, without AOT; DemoScriptIT starts the jar without AOT): two servers and a
 * client that finds both through etcd, all three from the context that Spring Boot's {@code process-aot} generated
 * when the jar was built, one jar in both roles (docs/aot.md).
 */
@EtcdTest
class SampleJarIT {

    @Test
    void fromTheAotProcessedJarClientReachesBothServersAndKeysGoAwayWithTheServers(EtcdCluster etcd)
            throws Exception {
        String endpoints = "--etcd.discovery.endpoints=" + etcd.endpointList();
        int httpPort = FreePorts.next();
        try (Client client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
                SampleProcess server1 = SampleProcess.server(Launch.AOT_JAR, Line.underTest(), etcd.endpointList(),
                        0, "--server.port=" + httpPort);
                SampleProcess server2 = SampleProcess.server(Launch.AOT_JAR, Line.underTest(), etcd.endpointList(),
                        0)) {
            await().atMost(90, TimeUnit.SECONDS).until(() -> greeterKeys(client) == 2);
            assertThat(server1.startedFromAotContext()).isTrue();
            assertThat(server2.startedFromAotContext()).isTrue();
            assertThat(get(httpPort, "/actuator/health")).contains("\"etcdDiscovery\":{\"status\":\"UP\"")
                .contains("\"key\":\"greeter/127.0.0.1:");
            assertThat(get(httpPort, "/actuator/etcdregistration")).contains("\"status\":\"UP\"")
                .contains("\"key\":\"greeter/127.0.0.1:")
                .contains("\"inEtcd\":true");

            // a deadline for a starved JVM: a 5 s one was missed by the first call on a loaded 2-core machine
            SampleProcess caller = SampleProcess.start(Launch.AOT_JAR, Line.underTest(), "client",
                    "--spring.profiles.active=client,aot", endpoints,
                    "--sample.calls=10", "--sample.interval=50ms", "--sample.deadline=30s");
            int exit = caller.awaitExit(120);
            String output = caller.output();
            assertThat(exit).as("client exit status; output in %s", caller.outputFile()).isZero();
            assertThat(caller.startedFromAotContext()).isTrue();
            assertThat(caller.answeringInstances()).hasSize(2);
            assertThat(output).contains("10 calls, 0 failures");
            // the client's beans are the server's (AOT): its gRPC server ran, and the switch read at run time kept
            // it out of etcd
            assertThat(output).contains("is not registered: etcd.discovery.registration.enabled is false");

            server1.stop();
            server2.stop();
            assertThat(greeterKeys(client)).as("keys left after both servers stopped").isZero();
        }
    }

    private static String get(int httpPort, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(Duration.ofSeconds(10))
            .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long greeterKeys(Client client) throws Exception {
        ByteSequence prefix = ByteSequence.from("greeter/", StandardCharsets.UTF_8);
        return client.getKVClient()
            .get(prefix, GetOption.builder().isPrefix(true).withCountOnly(true).build())
            .get(10, TimeUnit.SECONDS)
            .getCount();
    }
}
