package dev.etcddiscovery.boot3;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Channel;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which load-balancing policy an etcd:/// channel of grpc-spring uses, as README documents it:
 * etcd.discovery.resolver.load-balancing-policy wins over the client's default-load-balancing-policy, unless it is
 * set empty; and a default service config of the channel applies, with its retry policy.
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
        try (Client client = etcd.client()) {
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
    void aDefaultServiceConfigOfTheChannelAppliesWithTheResolverPolicy() {
        this.runner.withUserConfiguration(RetryingChannels.class).run((context) -> {
            GrpcChannelFactory channels = context.getBean(GrpcChannelFactory.class);
            first.failNextCall();
            second.failNextCall();
            // every call succeeds: the one that reaches a failing server is retried, as the channel's config says
            assertThat(portsAnswering(channels)).containsExactlyInAnyOrder(first.port(), second.port());
        });
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

    @Configuration(proxyBeanMethods = false)
    static class RetryingChannels {

        // Both servers fail their next call: a first attempt on one and its retry on the other (round robin) can
        // both fail, so three attempts make every call succeed whichever subchannels are ready.
        @Bean
        GrpcChannelConfigurer retryOnceConfigurer() {
            Map<String, Object> retryOnce = Map.of("methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", "test.Port")),
                    "retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.1s", "maxBackoff", "1s",
                            "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE")))));
            return (builder, name) -> builder.defaultServiceConfig(retryOnce).enableRetry();
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
