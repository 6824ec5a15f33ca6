package dev.etcddiscovery.spring;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * etcd down at startup: the app starts by default; with fail-fast it stops with a message naming the endpoints.
 * "Down" is a real etcd that was started and stopped, so its port is one that etcd really used.
 */
class EtcdFailFastIntegrationTests {

    private static EtcdCluster running;

    private static String stoppedEndpoint;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class))
        .withPropertyValues("etcd.discovery.request-timeout=1s", "etcd.discovery.connect-timeout=1s");

    @BeforeAll
    static void startOneAndStopAnother() {
        try (EtcdCluster stopped = EtcdCluster.start()) {
            stoppedEndpoint = stopped.endpoint();
            stopped.stop();
        }
        running = EtcdCluster.start();
    }

    @AfterAll
    static void stopEtcd() {
        running.close();
    }

    @Test
    void etcdDownAtStartupDoesNotStopTheAppByDefault() {
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + stoppedEndpoint)
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(Client.class)
                .doesNotHaveBean(EtcdStartupCheck.class));
    }

    @Test
    void failFastStopsTheStartNamingTheEndpoints() {
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + stoppedEndpoint, "etcd.discovery.fail-fast=true")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isNotNull();
                FailureAnalysis analysis = EtcdDiscoveryPropertiesValidationTests.analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).startsWith("etcd at [" + stoppedEndpoint + "] did not answer within 1s")
                    .contains("With etcd.discovery.fail-fast=true this stops the start.");
                assertThat(analysis.getAction()).contains("etcd.discovery.fail-fast=false");
            });
    }

    @Test
    void failFastPassesWhenEtcdAnswersAndTheClientIsClosedOnShutdown() throws Exception {
        ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
        Client[] client = new Client[1];
        this.runner.withPropertyValues("etcd.discovery.endpoints=" + running.endpoint(), "etcd.discovery.fail-fast=true")
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(EtcdStartupCheck.class);
                client[0] = context.getBean(Client.class);
                client[0].getKVClient().put(bytes("k"), bytes("v")).get(10, TimeUnit.SECONDS);
                holder[0] = context;
            });
        assertThat(holder[0].isActive()).isFalse();
        assertThatException().isThrownBy(() -> client[0].getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS))
            .isInstanceOfAny(ExecutionException.class, IllegalStateException.class);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
