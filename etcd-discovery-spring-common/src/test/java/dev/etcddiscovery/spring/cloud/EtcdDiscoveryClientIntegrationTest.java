package dev.etcddiscovery.spring.cloud;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.resolver.WatchSnapshot;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.health.DiscoveryCompositeHealthContributor;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The etcd discovery client in an application with Spring Cloud's own auto-configurations, against a real etcd
 * whose keys are written with etcdctl.
 */
@EtcdTest
@Tag("slow")
class EtcdDiscoveryClientIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final EtcdCluster etcd;

    private final ApplicationContextRunner runner;

    EtcdDiscoveryClientIntegrationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    TestLine.RESOLVER, EtcdSpringCloudAutoConfiguration.class, TestLine.CLOUD_HEALTH,
                    CompositeDiscoveryClientAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
                    CommonsClientAutoConfiguration.class, UtilAutoConfiguration.class))
            .withUserConfiguration(Heartbeats.class)
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList());
    }

    @Test
    void keysWrittenWithEtcdctlAreInstancesWithTheirMetadata() {
        this.etcd.etcdctl("put", "cloud-greeter/127.0.0.1:7001",
                "{\"Addr\":\"127.0.0.1:7001\",\"Metadata\":{\"zone\":\"a\",\"weight\":3,\"tags\":[\"x\"]}}");
        this.etcd.etcdctl("put", "cloud-greeter/go-endpoint-1", "{\"Addr\":\"127.0.0.2:7002\",\"Metadata\":\"blue\"}");
        this.etcd.etcdctl("put", "cloud-greeter/string-form",
                "{\"Addr\":\"127.0.0.3:7003\",\"Metadata\":\"{\\\"zone\\\":\\\"b\\\"}\"}");
        this.etcd.etcdctl("put", "cloud-greeter/broken", "{\"Op\":0}");
        this.runner.run((context) -> {
            // the composite client Spring Cloud hands out, with ours in it
            List<ServiceInstance> instances = context.getBean(DiscoveryClient.class).getInstances("cloud-greeter");
            assertThat(instances).hasSize(3);
            ServiceInstance first = instances.get(0);
            assertThat(first.getInstanceId()).isEqualTo("127.0.0.1:7001");
            assertThat(first.getServiceId()).isEqualTo("cloud-greeter");
            assertThat(first.getHost()).isEqualTo("127.0.0.1");
            assertThat(first.getPort()).isEqualTo(7001);
            assertThat(first.isSecure()).isFalse();
            assertThat(first.getMetadata()).isEqualTo(
                    Map.of("zone", "a", "weight", "3", "tags", "[\"x\"]", "gRPC_port", "7001"));
            ServiceInstance second = instances.get(1);
            assertThat(second.getInstanceId()).isEqualTo("go-endpoint-1");
            assertThat(second.getHost()).isEqualTo("127.0.0.2");
            assertThat(second.getPort()).isEqualTo(7002);
            assertThat(second.getMetadata()).isEqualTo(Map.of("metadata", "blue", "gRPC_port", "7002"));
            assertThat(instances.get(2).getMetadata()).isEqualTo(
                    Map.of("metadata", "{\"zone\":\"b\"}", "zone", "b", "gRPC_port", "7003"));
        });
    }

    @Test
    void lookupsShareOneWatchWithTheResolver() {
        this.etcd.etcdctl("put", "shared-greeter/a", "{\"Addr\":\"127.0.0.1:7003\"}");
        this.runner.run((context) -> {
            EtcdDiscoveryClient client = context.getBean(EtcdDiscoveryClient.class);
            for (int i = 0; i < 5; i++) {
                assertThat(client.getInstances("shared-greeter")).hasSize(1);
            }
            List<WatchSnapshot> watches = context.getBean(ServiceDirectory.class).snapshots();
            assertThat(watches).extracting(WatchSnapshot::prefix).containsExactly("shared-greeter/");
        });
    }

    @Test
    void aNewKeyIsAnInstanceAtOnceAndFiresAHeartbeat() {
        this.etcd.etcdctl("put", "moving-greeter/a", "{\"Addr\":\"127.0.0.1:7004\"}");
        this.runner.run((context) -> {
            EtcdDiscoveryClient client = context.getBean(EtcdDiscoveryClient.class);
            List<HeartbeatEvent> heartbeats = context.getBean(Heartbeats.class).events;
            assertThat(client.getInstances("moving-greeter")).hasSize(1);
            assertThat(heartbeats).isEmpty();

            this.etcd.etcdctl("put", "moving-greeter/b", "{\"Addr\":\"127.0.0.1:7005\"}");
            long start = System.nanoTime();
            await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> client.getInstances("moving-greeter").size() == 2);
            long seenMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            await().atMost(DEADLINE).until(() -> !heartbeats.isEmpty());
            System.out.println("new key seen by getInstances " + seenMillis + " ms after etcdctl returned");

            this.etcd.etcdctl("del", "moving-greeter/a");
            await().atMost(DEADLINE).until(() -> client.getInstances("moving-greeter").size() == 1);
            await().atMost(DEADLINE).until(() -> heartbeats.size() >= 2);
        });
    }

    @Test
    void getServicesListsTheServiceNamesUnderTheNamespace() {
        this.etcd.etcdctl("put", "ns1/listed-a/x", "{\"Addr\":\"127.0.0.1:7006\"}");
        this.etcd.etcdctl("put", "ns1/listed-b/y", "{\"Addr\":\"127.0.0.1:7007\"}");
        this.etcd.etcdctl("put", "ns1/not-a-service", "x");
        this.etcd.etcdctl("put", "ns2/elsewhere/z", "{\"Addr\":\"127.0.0.1:7008\"}");
        this.runner.withPropertyValues("etcd.discovery.namespace=ns1/").run((context) -> {
            assertThat(context.getBean(EtcdDiscoveryClient.class).getServices()).containsExactly("listed-a",
                    "listed-b");
            assertThat(context.getBean(EtcdDiscoveryClient.class).getInstances("listed-a"))
                .extracting(ServiceInstance::getPort)
                .containsExactly(7006);
        });
        this.runner.run((context) -> assertThat(context.getBean(EtcdDiscoveryClient.class).getServices())
            .contains("ns1", "ns2"));
    }

    /**
     * Five keys of 1 MiB under one service: read at once, the namespace's keys (5 MiB) exceed gRPC's 4 MiB inbound
     * limit on jetcd's channel, as ~80,000 endpoints of ordinary length would; service by service, they do not.
     */
    @Test
    void getServicesListsServicesWhoseKeysTogetherExceedTheInboundLimit() throws Exception {
        String padding = "x".repeat(1024 * 1024);
        try (Client writer = this.etcd.client()) {
            for (int i = 0; i < 5; i++) {
                writer.getKVClient()
                    .put(ByteSequence.from("huge/wide/" + i + padding, StandardCharsets.UTF_8),
                            ByteSequence.from("{\"Addr\":\"127.0.0.1:" + (7010 + i) + "\"}", StandardCharsets.UTF_8))
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        this.etcd.etcdctl("put", "huge/narrow/127.0.0.1:7020", "{\"Addr\":\"127.0.0.1:7020\"}");
        this.runner.withPropertyValues("etcd.discovery.namespace=huge/")
            .run((context) -> assertThat(context.getBean(EtcdDiscoveryClient.class).getServices())
                .containsExactly("narrow", "wide"));
    }

    @Test
    void discoveryCompositeHealthIncludesEtcdAndFollowsIt() {
        this.runner.withPropertyValues("etcd.discovery.request-timeout=1s").run((context) -> {
            // its return type is Boot's HealthContributor, whose package differs between the lines
            Object etcdEntry = DiscoveryCompositeHealthContributor.class.getMethod("getContributor", String.class)
                .invoke(context.getBean(DiscoveryCompositeHealthContributor.class), "etcd");
            assertThat(TestLine.health(etcdEntry).status()).isEqualTo("UP");
            assertThat(TestLine.health(etcdEntry).details()).containsKey("services");
            this.etcd.stop();
            try {
                await().atMost(DEADLINE)
                    .until(() -> TestLine.health(etcdEntry).status().equals("DOWN"));
            }
            finally {
                this.etcd.restart();
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Heartbeats implements ApplicationListener<HeartbeatEvent> {

        final List<HeartbeatEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(HeartbeatEvent event) {
            this.events.add(event);
        }
    }
}
