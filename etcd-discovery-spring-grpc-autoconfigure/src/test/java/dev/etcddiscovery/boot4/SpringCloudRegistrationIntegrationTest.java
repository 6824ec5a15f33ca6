package dev.etcddiscovery.boot4;

import java.time.Duration;

import dev.etcddiscovery.registration.EtcdProbe;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14's Spring Cloud view in a whole Boot 4.1 application with Spring gRPC and spring-cloud-commons 5 (its
 * auto-configurations and ours, as a user gets them): the registered server is an instance of Spring Cloud's
 * {@link DiscoveryClient}, and {@code /actuator/serviceregistry} takes it out of etcd and puts it back.
 */
@EtcdTest
@Tag("slow")
class SpringCloudRegistrationIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private EtcdCluster etcd;

    private EtcdProbe probe;

    private ConfigurableApplicationContext app;

    @BeforeEach
    void setUp(EtcdCluster etcd) {
        this.etcd = etcd;
        this.probe = new EtcdProbe(etcd);
    }

    @AfterEach
    void tearDown() {
        if (this.app != null) {
            this.app.close();
        }
        this.probe.close();
    }

    @Test
    void theServerIsADiscoveryInstanceAndTheServiceRegistryEndpointSetsItsStatus() {
        this.app = SpringGrpcServerTestApp.start(this.etcd.endpointList(), "spring.application.name=cloudy",
                "management.endpoints.web.exposure.include=serviceregistry");
        String address = "127.0.0.1:" + this.app.getBean(SpringGrpcServerTestApp.BoundPort.class).get();
        String key = "cloudy/" + address;
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        DiscoveryClient discovery = this.app.getBean(DiscoveryClient.class);
        await().atMost(DEADLINE)
            .untilAsserted(() -> assertThat(discovery.getInstances("cloudy")).extracting(ServiceInstance::getInstanceId)
                .containsExactly(address));

        ServiceRegistryEndpoint endpoint = this.app.getBean(ServiceRegistryEndpoint.class);
        assertThat(endpoint.getStatus().getBody()).isEqualTo("UP");
        endpoint.setStatus("OUT_OF_SERVICE");
        await().atMost(DEADLINE).until(() -> !this.probe.present(key));
        await().atMost(DEADLINE).until(() -> discovery.getInstances("cloudy").isEmpty());

        endpoint.setStatus("UP");
        await().atMost(DEADLINE).until(() -> this.probe.present(key));
        await().atMost(DEADLINE).until(() -> discovery.getInstances("cloudy").size() == 1);
    }
}
