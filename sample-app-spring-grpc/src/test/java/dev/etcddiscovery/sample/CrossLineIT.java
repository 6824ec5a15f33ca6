package dev.etcddiscovery.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcddiscovery.sample.SampleProcess.Launch;
import dev.etcddiscovery.sample.SampleProcess.Line;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.FreePorts;
import dev.etcddiscovery.test.GoAnchorPrograms;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real Boot 4.1 jar as separate processes, and both lines on one etcd: a Boot 4.1 (Spring gRPC) server and a
 * Boot 3.5 (grpc-spring) server; the 4.1 server reports its registration in its actuator health; clients of each
 * line and etcd's own Go resolver each reach both servers; stopped, the servers take their keys with them. One
 * fleet for all of it, because each JVM takes seconds to start. The Boot 4.1 server and client start with
 * {@code java -Dspring.aot.enabled=true -jar}, from the context that Spring Boot's {@code process-aot} generated when
 * the jar was built, one jar in both roles (docs/aot.md; sample-app's SampleJarIT does the same for Boot 3.5).
 */
@EtcdTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossLineIT {

    private static final Pattern GO_PEER = Pattern.compile("peer=(\\S+) status=SERVING");

    private final List<SampleProcess> servers = new ArrayList<>();

    private Set<String> instances;

    private String endpoints;

    private int boot41HttpPort;

    private Client client;

    @BeforeAll
    void startOneServerOfEachLine(EtcdCluster etcd) throws Exception {
        this.endpoints = etcd.endpointList();
        this.client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
        int boot41 = FreePorts.next();
        int boot35 = FreePorts.next();
        this.boot41HttpPort = FreePorts.next();
        this.servers.add(SampleProcess.server(Launch.AOT_JAR, Line.BOOT_4_1, this.endpoints, boot41,
                "--server.port=" + this.boot41HttpPort));
        this.servers.add(SampleProcess.server(Line.BOOT_3_5, this.endpoints, boot35));
        this.instances = Set.of("127.0.0.1:" + boot41, "127.0.0.1:" + boot35);
        await().atMost(180, TimeUnit.SECONDS).until(() -> greeterKeys() == 2);
    }

    @AfterAll
    void stopServers() throws Exception {
        for (SampleProcess server : this.servers) {
            server.stop();
        }
        this.client.close();
    }

    @Test
    @Order(1)
    void theBootFourOneServerReportsItsRegistrationInItsHealthAndEtcdregistration() throws Exception {
        assertThat(this.servers.get(0).startedFromAotContext()).as("Boot 4.1 server from the AOT context").isTrue();
        JsonNode etcdHealth = get("/actuator/health").path("components").path("etcdDiscovery");
        assertThat(etcdHealth.path("status").asText()).isEqualTo("UP");
        assertThat(etcdHealth.path("details").path("registrations").path(0).path("key").asText())
            .startsWith("greeter/127.0.0.1:");
        JsonNode registration = get("/actuator/etcdregistration").path("registrations").path(0);
        assertThat(registration.path("key").asText()).startsWith("greeter/127.0.0.1:");
        assertThat(registration.path("inEtcd").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void aBootThreeFiveClientReachesBothServers() throws Exception {
        assertClientReachesBothServers(Line.BOOT_3_5);
    }

    @Test
    @Order(2)
    void aBootFourOneClientReachesBothServers() throws Exception {
        assertClientReachesBothServers(Line.BOOT_4_1);
    }

    @Test
    @Order(2)
    void etcdsGoResolverReachesBothServers(EtcdCluster etcd) throws Exception {
        Path resolve = GoAnchorPrograms.build("resolve");
        Path output = Files.createDirectories(Paths.get("target", "sample-logs")).resolve("go-resolve.log");
        Process process = new ProcessBuilder(resolve.toString(), "-timeout", "10s", etcd.endpoint(), "greeter", "10")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(finished).as("Go resolver finished; output in %s", output).isTrue();
        assertThat(process.exitValue()).as("Go resolver exit status; output:%n%s", text).isZero();
        Matcher peers = GO_PEER.matcher(text);
        List<String> answered = new ArrayList<>();
        while (peers.find()) {
            answered.add(peers.group(1));
        }
        assertThat(answered).as("peers of the Go resolver's calls").hasSize(10);
        assertThat(Set.copyOf(answered)).isEqualTo(this.instances);
    }

    @Test
    @Order(3)
    void stoppedServersTakeTheirKeysWithThem() throws Exception {
        for (SampleProcess server : this.servers) {
            server.stop();
        }
        assertThat(greeterKeys()).as("keys left after both servers stopped").isZero();
    }

    /** A client of {@code line}: Boot 4.1's from its AOT-processed jar (profile aot), Boot 3.5's from its CDS layout. */
    private void assertClientReachesBothServers(Line line) throws Exception {
        boolean aot = line == Line.BOOT_4_1;
        SampleProcess caller = SampleProcess.start(aot ? Launch.AOT_JAR : Launch.CDS_LAYOUT, line, "client",
                aot ? "--spring.profiles.active=client,aot" : "--spring.profiles.active=client",
                "--etcd.discovery.endpoints=" + this.endpoints, "--sample.calls=10", "--sample.interval=50ms");
        int exit = caller.awaitExit(180);
        String output = caller.output();
        assertThat(exit).as("%s client exit status; output in %s", line, caller.outputFile()).isZero();
        assertThat(caller.startedFromAotContext()).as("started from the AOT context").isEqualTo(aot);
        assertThat(output).contains("10 calls, 0 failures");
        assertThat(caller.answeringInstances()).isEqualTo(this.instances);
    }

    private JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.boot41HttpPort + path))
            .timeout(Duration.ofSeconds(30))
            .build();
        return new ObjectMapper()
            .readTree(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private long greeterKeys() throws Exception {
        ByteSequence prefix = ByteSequence.from("greeter/", StandardCharsets.UTF_8);
        return this.client.getKVClient()
            .get(prefix, GetOption.builder().isPrefix(true).withCountOnly(true).build())
            .get(10, TimeUnit.SECONDS)
            .getCount();
    }
}
