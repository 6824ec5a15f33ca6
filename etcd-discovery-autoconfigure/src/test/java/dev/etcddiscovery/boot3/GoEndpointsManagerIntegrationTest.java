package dev.etcddiscovery.boot3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.cloud.EtcdDiscoveryClient;
import dev.etcddiscovery.spring.cloud.EtcdSpringCloudAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keys written by etcd's own Go {@code endpoints.Manager} (the anchor's {@code register}, a separate process) are
 * instances of the etcd discovery client with their metadata, and go away when the Go side deletes them.
 */
@EtcdTest
@Tag("slow")
class GoEndpointsManagerIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void keysOfEtcdsGoEndpointsManagerAreInstancesWithTheirMetadata(EtcdCluster etcd) throws Exception {
        GoRegister go = GoRegister.build();
        List<Process> registered = new ArrayList<>();
        try {
            // {"Op":0,"Addr":"127.0.0.1:7201","Metadata":{"weight":2,"zone":"eu-1"}} under the default key service/addr
            Process objectMetadata = go.register(etcd.endpointList(), "go-greeter", "127.0.0.1:7201",
                    "{\"zone\":\"eu-1\",\"weight\":2}", null);
            registered.add(objectMetadata);
            // {"Op":0,"Addr":"127.0.0.2:7202","Metadata":"blue"} under a key of its own
            registered.add(go.register(etcd.endpointList(), "go-greeter", "127.0.0.2:7202", "blue",
                    "go-greeter/go-endpoint-2"));
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                        EtcdResolverAutoConfiguration.class, EtcdSpringCloudAutoConfiguration.class))
                .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList())
                .run((context) -> {
                    EtcdDiscoveryClient client = context.getBean(EtcdDiscoveryClient.class);
                    List<ServiceInstance> instances = client.getInstances("go-greeter");
                    assertThat(instances).hasSize(2);
                    ServiceInstance first = instances.get(0);
                    assertThat(first.getInstanceId()).isEqualTo("127.0.0.1:7201");
                    assertThat(first.getServiceId()).isEqualTo("go-greeter");
                    assertThat(first.getHost()).isEqualTo("127.0.0.1");
                    assertThat(first.getPort()).isEqualTo(7201);
                    assertThat(first.getMetadata())
                        .isEqualTo(Map.of("zone", "eu-1", "weight", "2", "gRPC_port", "7201"));
                    ServiceInstance second = instances.get(1);
                    assertThat(second.getInstanceId()).isEqualTo("go-endpoint-2");
                    assertThat(second.getHost()).isEqualTo("127.0.0.2");
                    assertThat(second.getPort()).isEqualTo(7202);
                    assertThat(second.getMetadata()).isEqualTo(Map.of("metadata", "blue", "gRPC_port", "7202"));
                    assertThat(client.getServices()).contains("go-greeter");

                    // SIGTERM: the Go side deletes its endpoint (Manager.DeleteEndpoint) and revokes its lease
                    objectMetadata.destroy();
                    await().atMost(DEADLINE)
                        .untilAsserted(() -> assertThat(client.getInstances("go-greeter"))
                            .extracting(ServiceInstance::getInstanceId)
                            .containsExactly("go-endpoint-2"));
                });
        }
        finally {
            registered.forEach(Process::destroyForcibly);
        }
    }
}
