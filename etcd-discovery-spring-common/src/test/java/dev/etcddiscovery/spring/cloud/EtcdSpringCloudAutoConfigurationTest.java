package dev.etcddiscovery.spring.cloud;

import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/** When the Spring Cloud view of etcd is there: every condition of {@link EtcdSpringCloudAutoConfiguration}. */
@EtcdTest
class EtcdSpringCloudAutoConfigurationTest {

    private final ApplicationContextRunner runner;

    EtcdSpringCloudAutoConfigurationTest(EtcdCluster etcd) {
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    TestLine.RESOLVER, EtcdSpringCloudAutoConfiguration.class, TestLine.CLOUD_HEALTH))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList());
    }

    @Test
    void withSpringCloudBothClientsTheHeartbeatsAndTheHealthIndicatorAreBeans() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(EtcdDiscoveryClient.class)
            .hasSingleBean(EtcdReactiveDiscoveryClient.class)
            .hasSingleBean(EtcdServiceInstances.class)
            .hasSingleBean(EtcdServiceNames.class)
            .hasSingleBean(EtcdHeartbeatPublisher.class)
            .hasSingleBean(TestLine.lineClass("EtcdCloudDiscoveryHealthIndicator")));
    }

    @Test
    void withoutSpringCloudOnTheClassPathNothingOfItIsThere() {
        this.runner.withClassLoader(new FilteredClassLoader(DiscoveryClient.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(EtcdServiceInstances.class)
                .doesNotHaveBean(EtcdDiscoveryClient.class)
                .doesNotHaveBean(EtcdReactiveDiscoveryClient.class));
    }

    @Test
    void withoutWebClientSpringCloudWantsNoReactiveClient() {
        this.runner.withClassLoader(new FilteredClassLoader(WebClient.class))
            .run((context) -> assertThat(context).hasSingleBean(EtcdDiscoveryClient.class)
                .doesNotHaveBean(EtcdReactiveDiscoveryClient.class));
    }

    @Test
    void springCloudEnabledFalseLeavesItOut() {
        this.runner.withPropertyValues("etcd.discovery.spring-cloud.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceInstances.class)
                .doesNotHaveBean(EtcdDiscoveryClient.class)
                .doesNotHaveBean(EtcdReactiveDiscoveryClient.class));
    }

    @Test
    void springCloudsOwnDiscoverySwitchLeavesItOut() {
        this.runner.withPropertyValues("spring.cloud.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceInstances.class)
                .doesNotHaveBean(EtcdDiscoveryClient.class));
    }

    @Test
    void blockingAndReactiveFollowSpringCloudsSwitches() {
        this.runner.withPropertyValues("spring.cloud.discovery.blocking.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdDiscoveryClient.class)
                .doesNotHaveBean(TestLine.lineClass("EtcdCloudDiscoveryHealthIndicator"))
                .hasSingleBean(EtcdReactiveDiscoveryClient.class));
        this.runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false")
            .run((context) -> assertThat(context).hasSingleBean(EtcdDiscoveryClient.class)
                .doesNotHaveBean(EtcdReactiveDiscoveryClient.class));
    }

    @Test
    void theHealthIndicatorFollowsSpringCloudsSwitch() {
        this.runner.withPropertyValues("spring.cloud.discovery.client.health-indicator.enabled=false")
            .run((context) -> assertThat(context).hasSingleBean(EtcdDiscoveryClient.class)
                .doesNotHaveBean(TestLine.lineClass("EtcdCloudDiscoveryHealthIndicator")));
    }

    @Test
    void withoutTheResolverThereAreNoSharedWatchesToReadSoNothingOfItIsThere() {
        this.runner.withPropertyValues("etcd.discovery.resolver.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceInstances.class)
                .doesNotHaveBean(EtcdDiscoveryClient.class));
        this.runner.withPropertyValues("etcd.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceInstances.class));
    }

    @Test
    void theApplicationsOwnBeansReplaceOurs() {
        this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
            OwnBeans own = context.getBean(OwnBeans.class);
            assertThat(context).getBean(EtcdDiscoveryClient.class).isSameAs(own.client);
            assertThat(context).getBean(EtcdReactiveDiscoveryClient.class).isSameAs(own.reactiveClient);
            assertThat(context).getBean(EtcdServiceInstances.class).isSameAs(own.instances);
            assertThat(context).getBean(EtcdServiceNames.class).isSameAs(own.names);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        final EtcdServiceInstances instances = new EtcdServiceInstances(null, "", null, (service) -> {
        });

        final EtcdServiceNames names = new EtcdServiceNames(null, "", null);

        final EtcdDiscoveryClient client = new EtcdDiscoveryClient(this.instances, this.names);

        final EtcdReactiveDiscoveryClient reactiveClient = new EtcdReactiveDiscoveryClient(this.instances,
                this.names);

        @Bean
        EtcdServiceInstances ownInstances() {
            return this.instances;
        }

        @Bean
        EtcdServiceNames ownNames() {
            return this.names;
        }

        @Bean
        EtcdDiscoveryClient ownClient() {
            return this.client;
        }

        @Bean
        EtcdReactiveDiscoveryClient ownReactiveClient() {
            return this.reactiveClient;
        }
    }
}
