package dev.etcddiscovery.resolver;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Channel;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which load-balancing policy an etcd:/// channel of grpc-spring uses, as README documents it: the resolver's
 * service config wins over the client's default-load-balancing-policy, unless the resolver's policy is set empty.
 */
@EtcdTest
class LoadBalancingPrecedenceTest {

    private static final int CALLS = 20;

    private static PortServer first;

    private static PortServer second;

    private final ApplicationContextRunner runner;

    LoadBalancingPrecedenceTest(EtcdCluster etcd) {
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdResolverAutoConfiguration.class, GrpcClientAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                    "grpc.client.greeter.address=etcd:///lb-greeter", "grpc.client.greeter.negotiation-type=plaintext",
                    "grpc.client.greeter.default-load-balancing-policy=pick_first");
    }

    @BeforeAll
    static void registerTwoServers(EtcdCluster etcd) throws Exception {
        first = PortServer.start();
        second = PortServer.start();
        try (Client client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            for (PortServer server : new PortServer[] { first, second }) {
                String addr = "127.0.0.1:" + server.port();
                client.getKVClient()
                    .put(bytes("lb-greeter/" + addr), bytes("{\"Addr\":\"" + addr + "\"}"))
                    .get(10, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        first.close();
        second.close();
    }

    @Test
    void resolverPolicyWinsOverTheClientsDefaultPolicy() {
        this.runner.run((context) -> assertThat(portsAnswering(context.getBean(GrpcChannelFactory.class)))
            .containsExactlyInAnyOrder(first.port(), second.port()));
    }

    @Test
    void emptyResolverPolicyLeavesTheChoiceToTheClient() {
        this.runner.withPropertyValues("etcd.discovery.resolver.load-balancing-policy=")
            .run((context) -> assertThat(portsAnswering(context.getBean(GrpcChannelFactory.class))).hasSize(1));
    }

    private static Set<Integer> portsAnswering(GrpcChannelFactory channels) {
        Channel channel = channels.createChannel("greeter");
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < CALLS; i++) {
            ports.add(PortServer.call(channel));
        }
        return ports;
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
