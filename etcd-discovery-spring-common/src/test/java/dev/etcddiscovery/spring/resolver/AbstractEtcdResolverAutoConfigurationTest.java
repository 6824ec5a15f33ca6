package dev.etcddiscovery.spring.resolver;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.spring.EtcdDiscoveryAutoConfiguration;
import dev.etcddiscovery.spring.TestLine;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditions of each line's {@code EtcdResolverAutoConfiguration} that are the same on both lines, run by each line's
 * {@code EtcdResolverAutoConfigurationTest}, which adds how its gRPC client's channels use the resolver.
 */
@EtcdTest
public abstract class AbstractEtcdResolverAutoConfigurationTest {

    protected final EtcdCluster etcd;

    protected final ApplicationContextRunner runner;

    protected AbstractEtcdResolverAutoConfigurationTest(EtcdCluster etcd) {
        this.etcd = etcd;
        this.runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class,
                    TestLine.RESOLVER))
            .withPropertyValues("etcd.discovery.endpoints=" + etcd.endpointList());
    }

    /** The beans the resolver is made of on this line, all there or none. */
    protected List<Class<?>> resolverBeans() {
        return List.of(EtcdNameResolverProvider.class, ServiceDirectory.class);
    }

    @Test
    protected void theResolversBeansExist() {
        this.runner.run((context) -> resolverBeans().forEach((type) -> assertThat(context).hasSingleBean(type)));
    }

    @Test
    protected void aProviderOfTheApplicationReplacesOurs() {
        this.runner.withUserConfiguration(OwnProvider.class)
            .run((context) -> assertThat(context).getBean(EtcdNameResolverProvider.class)
                .isSameAs(context.getBean(OwnProvider.class).provider));
    }

    @Test
    protected void resolverEnabledFalseLeavesTheResolverOut() {
        this.runner.withPropertyValues("etcd.discovery.resolver.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(Client.class);
            resolverBeans().forEach((type) -> assertThat(context).doesNotHaveBean(type));
        });
    }

    @Test
    protected void discoveryEnabledFalseLeavesTheResolverOut() {
        this.runner.withPropertyValues("etcd.discovery.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(Client.class)
                .doesNotHaveBean(EtcdNameResolverProvider.class));
    }

    @Test
    protected void withoutJetcdThereIsNoResolver() {
        this.runner.withClassLoader(new FilteredClassLoader(Client.class))
            .run((context) -> assertThat(context).doesNotHaveBean(EtcdNameResolverProvider.class));
    }

    @Test
    protected void anUnknownLoadBalancingPolicyFailsTheStartNamingTheProperty() {
        this.runner.withPropertyValues("etcd.discovery.resolver.load-balancing-policy=round_robbin")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("resolver.loadBalancingPolicy")
                .hasMessageContaining("round_robbin"));
    }

    @Test
    protected void aNegativeNewClusterGracePeriodFailsTheStartNamingTheProperty() {
        this.runner.withPropertyValues("etcd.discovery.resolver.new-cluster-grace-period=-1s")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("resolver.newClusterGracePeriod")
                .hasMessageContaining("must be zero"));
    }

    protected static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Configuration(proxyBeanMethods = false)
    protected static class OwnProvider {

        public final EtcdNameResolverProvider provider = new EtcdNameResolverProvider(null, "");

        @Bean
        EtcdNameResolverProvider ownEtcdNameResolverProvider() {
            return this.provider;
        }
    }
}
