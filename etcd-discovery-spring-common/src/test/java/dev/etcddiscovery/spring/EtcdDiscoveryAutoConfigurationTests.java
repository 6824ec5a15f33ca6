package dev.etcddiscovery.spring;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.etcddiscovery.jetcd.EtcdReconnectPacer;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions of {@link EtcdDiscoveryAutoConfiguration}; none of these talk to etcd. */
class EtcdDiscoveryAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class));

    @Test
    void defaultsGiveOneClientForLocalEtcdAndNoStartupCheck() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(Client.class).doesNotHaveBean(EtcdStartupCheck.class);
            EtcdDiscoveryProperties properties = context.getBean(EtcdDiscoveryProperties.class);
            assertThat(properties.getEndpoints()).hasToString("[http://127.0.0.1:2379]");
            assertThat(properties.isFailFast()).isFalse();
            assertThat(properties.getNamespace()).isEmpty();
        });
    }

    @Test
    void disabledStarterContributesNothing() {
        this.runner.withPropertyValues("etcd.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(Client.class)
                .doesNotHaveBean(EtcdDiscoveryProperties.class)
                .doesNotHaveBean("etcdDiscoverySanitizingFunction"));
    }

    @Test
    void withoutJetcdTheStarterBacksOff() {
        this.runner.withClassLoader(new FilteredClassLoader(Client.class))
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryProperties.class));
    }

    @Test
    void userClientReplacesOurs() {
        this.runner.withUserConfiguration(UserClientConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(Client.class)
                .getBean(Client.class)
                .isSameAs(context.getBean(UserClientConfiguration.class).client));
    }

    @Test
    void theClientsReconnectsArePacedUntilTheContextCloses() {
        AtomicReference<EtcdReconnectPacer> pacer = new AtomicReference<>();
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(EtcdReconnectPacer.class);
            pacer.set(context.getBean(EtcdReconnectPacer.class));
            assertThat(pacer.get().isPacing()).isTrue();
        });
        assertThat(pacer.get().isPacing()).isFalse();
    }

    @Test
    void pacingStartsWithTheContextEvenWhenBeansAreLazy() {
        this.runner.withInitializer((context) -> context
            .addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> assertThat(context.getBeanFactory().containsSingleton("etcdReconnectPacer")).isTrue());
    }

    @Test
    void aUserClientIsPacedToo() {
        this.runner.withUserConfiguration(UserClientConfiguration.class)
            .run((context) -> assertThat(context.getBean(EtcdReconnectPacer.class).isPacing()).isTrue());
    }

    @Test
    void userPacerReplacesOurs() {
        this.runner.withUserConfiguration(UserPacerConfiguration.class)
            .run((context) -> assertThat(context.getBeanNamesForType(EtcdReconnectPacer.class))
                .containsExactly("userPacer"));
    }

    @Test
    void sanitizingFunctionOnlyWithActuator() {
        this.runner.run((context) -> assertThat(context).hasBean("etcdDiscoverySanitizingFunction"));
        this.runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
            .run((context) -> assertThat(context).hasSingleBean(Client.class)
                .doesNotHaveBean("etcdDiscoverySanitizingFunction"));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserClientConfiguration {

        final Client client = Client.builder().endpoints("http://127.0.0.1:1").build();

        @Bean(destroyMethod = "close")
        Client userClient() {
            return this.client;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserPacerConfiguration {

        @Bean(destroyMethod = "close")
        EtcdReconnectPacer userPacer(Client client) {
            return EtcdReconnectPacer.forClient(client, Duration.ofMillis(500));
        }
    }
}
