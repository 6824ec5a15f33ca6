package dev.etcddiscovery.boot3;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.grpc.Channel;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.autoconfigure.GrpcDiscoveryClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * grpc-spring's {@code discovery:///} targets over the etcd DiscoveryClient: calls reach every server registered in
 * etcd, and a server registered later is called without waiting for a polling period (a HeartbeatEvent refreshes
 * the channel).
 */
@EtcdTest
class DiscoverySchemeIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final EtcdCluster etcd;

    private final ApplicationContextRunner runner;

    DiscoverySchemeIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    EtcdResolverAutoConfiguration.class, EtcdSpringCloudAutoConfiguration.class,
                    UtilAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
                    CompositeDiscoveryClientAutoConfiguration.class, GrpcClientAutoConfiguration.class,
                    GrpcDiscoveryClientAutoConfiguration.class))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList(),
                    "grpc.client.greeter.address=discovery:///disc-greeter",
                    "grpc.client.greeter.negotiation-type=plaintext",
                    "grpc.client.greeter.default-load-balancing-policy=round_robin");
    }

    @Test
    void aDiscoveryChannelCallsEveryRegisteredServerAndFollowsANewOne() throws Exception {
        try (PortServer first = PortServer.start(); PortServer second = PortServer.start();
                PortServer third = PortServer.start()) {
            put(first);
            put(second);
            this.runner.run((context) -> {
                Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("greeter");
                Set<Integer> answered = ConcurrentHashMap.newKeySet();
                await().atMost(DEADLINE).until(() -> {
                    answered.add(PortServer.call(channel));
                    return answered.containsAll(Set.of(first.port(), second.port()));
                });
                put(third);
                long start = System.nanoTime();
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(5)).until(() -> {
                    answered.add(PortServer.call(channel));
                    return answered.contains(third.port());
                });
                System.out.println("discovery:/// channel called a new server "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms after etcdctl returned");
            });
        }
    }

    private void put(PortServer server) {
        String addr = "127.0.0.1:" + server.port();
        this.etcd.etcdctl("put", "disc-greeter/" + addr, "{\"Addr\":\"" + addr + "\"}");
    }
}
