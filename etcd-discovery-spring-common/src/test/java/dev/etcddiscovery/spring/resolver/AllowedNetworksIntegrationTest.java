package dev.etcddiscovery.spring.resolver;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.LogCapture;
import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.spring.cloud.EtcdDiscoveryClient;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etcd.discovery.resolver.allowed-networks: a key under a service's prefix that points outside the allowed networks
 * (here a rogue server on ::1 while 127.0.0.0/8 is allowed) gets no call, is reported with one WARN, counted in
 * etcd.discovery.resolver.rejected, shown in the health details, and is no Spring Cloud instance either.
 */
@EtcdTest
@Tag("slow")
class AllowedNetworksIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final EtcdCluster etcd;

    AllowedNetworksIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    @Test
    void anEndpointOutsideTheAllowedNetworksGetsNoCallsAndIsReported() throws Exception {
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class, TestLine.RESOLVER,
                    TestLine.HEALTH, TestLine.BOOT_METRICS, TestLine.METRICS, EtcdSpringCloudAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("etcd.discovery.endpoints=" + this.etcd.endpointList(),
                    "etcd.discovery.resolver.allowed-networks=127.0.0.0/8",
                    "etcd.discovery.metrics.refresh-interval=100ms");
        try (PortServer real = PortServer.start(); PortServer rogue = PortServer.start("::1");
                LogCapture log = new LogCapture("dev.etcddiscovery.resolver")) {
            this.etcd.etcdctl("put", "allowed-greeter/real", "{\"Addr\":\"127.0.0.1:" + real.port() + "\"}");
            this.etcd.etcdctl("put", "allowed-greeter/rogue", "{\"Addr\":\"[::1]:" + rogue.port() + "\"}");
            runner.run((context) -> {
                EtcdNameResolverProvider provider = context.getBean(EtcdNameResolverProvider.class);
                NameResolverRegistry.getDefaultRegistry().register(provider);
                ManagedChannel channel = NettyChannelBuilder.forTarget("etcd:///allowed-greeter")
                    .defaultLoadBalancingPolicy("round_robin")
                    .usePlaintext()
                    .build();
                try {
                    Set<Integer> answered = new HashSet<>();
                    for (int i = 0; i < 20; i++) {
                        answered.add(PortServer.call(channel));
                    }
                    assertThat(answered).containsExactly(real.port());
                    // the Spring Cloud view, on the same watch as the channel
                    List<ServiceInstance> instances = context.getBean(EtcdDiscoveryClient.class)
                        .getInstances("allowed-greeter");
                    assertThat(instances).singleElement()
                        .satisfies((instance) -> assertThat(instance.getPort()).isEqualTo(real.port()));
                }
                finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                    NameResolverRegistry.getDefaultRegistry().deregister(provider);
                }

                MeterRegistry registry = context.getBean(MeterRegistry.class);
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(registry.find("etcd.discovery.resolver.rejected")
                    .tags("target", "allowed-greeter/", "reason", "outside-allowed-networks")
                    .functionCounter()).extracting(FunctionCounter::count).isEqualTo(1.0));

                Map<String, Object> details = TestLine
                    .health(context.getBean(TestLine.lineClass("EtcdDiscoveryHealthIndicator")))
                    .details();
                assertThat(details.get("targets")).asList()
                    .singleElement()
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("rejectedOutsideAllowedNetworks", 1);
            });
            assertThat(log.atLeast(Level.WARN)).filteredOn((line) -> line.contains("allowed-greeter/rogue"))
                .singleElement()
                .asString()
                .contains("points at ::1 port " + rogue.port(), "[127.0.0.0/8]");
        }
    }
}
