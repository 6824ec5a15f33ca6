package dev.etcddiscovery.boot3;

import java.time.Duration;

import dev.etcddiscovery.internal.JetcdInternals;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter's jetcd client connects while the context starts, before any call, so that the registration at
 * ApplicationReadyEvent does not wait for the connection to be set up.
 */
class EtcdEarlyConnectIntegrationTests {

    private static EtcdCluster etcd;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class));

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void theClientIsConnectedWithoutAnyCall() {
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + etcd.endpoint()).run((context) -> {
            Client client = context.getBean(Client.class);
            await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(JetcdInternals.of(client).internals().channel().getState(false))
                    .isEqualTo(ConnectivityState.READY));
        });
    }
}
