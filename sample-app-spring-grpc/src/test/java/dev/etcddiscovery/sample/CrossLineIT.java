package dev.etcddiscovery.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.etcddiscovery.sample.SampleProcess.Line;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import dev.etcddiscovery.test.FreePorts;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both lines on one etcd: a Boot 4.1 (Spring gRPC) server and a Boot 3.5 (grpc-spring) server, and clients of
 * each line and etcd's own Go resolver, each of which must reach both servers.
 */
@EtcdTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossLineIT {

    /** Where etcd's Go resolver is looked for: $ETCD_GO_RESOLVER, else the project's shared anchors, if built. */
    private static final List<Path> GO_RESOLVER = Stream
        .of(System.getenv("ETCD_GO_RESOLVER"), "/work/shared/anchors/etcd-go-resolver/bin/resolve",
                "../../shared/anchors/etcd-go-resolver/bin/resolve")
        .filter((path) -> path != null && !path.isBlank())
        .map(Paths::get)
        .toList();

    private static final Pattern GO_PEER = Pattern.compile("peer=(\\S+) status=SERVING");

    private final List<SampleProcess> servers = new ArrayList<>();

    private Set<String> instances;

    private String endpoints;

    @BeforeAll
    void startOneServerOfEachLine(EtcdCluster etcd) throws Exception {
        this.endpoints = etcd.endpointList();
        int boot41 = FreePorts.next();
        int boot35 = FreePorts.next();
        this.servers.add(SampleProcess.server(Line.BOOT_4_1, this.endpoints, boot41));
        this.servers.add(SampleProcess.server(Line.BOOT_3_5, this.endpoints, boot35));
        this.instances = Set.of("127.0.0.1:" + boot41, "127.0.0.1:" + boot35);
        try (Client client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            await().atMost(180, TimeUnit.SECONDS).until(() -> SpringGrpcSampleJarIT.greeterKeys(client) == 2);
        }
    }

    @AfterAll
    void stopServers() throws Exception {
        for (SampleProcess server : this.servers) {
            server.stop();
        }
    }

    @Test
    void aBootThreeFiveClientReachesBothServers() throws Exception {
        assertClientReachesBothServers(Line.BOOT_3_5);
    }

    @Test
    void aBootFourOneClientReachesBothServers() throws Exception {
        assertClientReachesBothServers(Line.BOOT_4_1);
    }

    @Test
    void etcdsGoResolverReachesBothServers(EtcdCluster etcd) throws Exception {
        Path resolve = GO_RESOLVER.stream().filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(resolve != null, () -> "etcd's Go resolver is not built (looked for " + GO_RESOLVER
                + "); build it with shared/anchors/etcd-go-resolver/build.sh or set ETCD_GO_RESOLVER");
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

    private void assertClientReachesBothServers(Line line) throws Exception {
        SampleProcess caller = SampleProcess.start(line, "client", "--spring.profiles.active=client",
                "--etcd.discovery.endpoints=" + this.endpoints, "--sample.calls=10", "--sample.interval=50ms");
        int exit = caller.awaitExit(180);
        String output = caller.output();
        assertThat(exit).as("%s client exit status; output in %s", line, caller.outputFile()).isZero();
        assertThat(output).contains("10 calls, 0 failures");
        assertThat(SpringGrpcSampleJarIT.answeringInstances(output)).isEqualTo(this.instances);
    }
}
