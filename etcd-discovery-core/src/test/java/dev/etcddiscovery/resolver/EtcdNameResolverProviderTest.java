package dev.etcddiscovery.resolver;

import java.net.URI;

import io.etcd.jetcd.Client;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.SynchronizationContext;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Target validation of the provider. No etcd is needed: nothing is listed before a resolver starts.
 */
@Tag("library-versions")
class EtcdNameResolverProviderTest {

    private final Client client = Client.builder().endpoints("http://127.0.0.1:1").build();

    private final ServiceDirectory directory = ServiceDirectory.builder(this.client).build();

    private final EtcdNameResolverProvider provider = new EtcdNameResolverProvider(this.directory, "prod/");

    @AfterEach
    void close() {
        this.directory.close();
        this.client.close();
    }

    @Test
    void resolvesEtcdTargetsToTheServiceAuthority() {
        NameResolver resolver = this.provider.newNameResolver(URI.create("etcd:///greeter"), args());
        assertThat(resolver).isNotNull();
        assertThat(resolver.getServiceAuthority()).isEqualTo("greeter");
        assertThat(this.provider.getDefaultScheme()).isEqualTo("etcd");
    }

    @Test
    void leavesOtherSchemesToOtherProviders() {
        assertThat(this.provider.newNameResolver(URI.create("dns:///greeter"), args())).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "etcd://some-authority/greeter", "etcd:///", "etcd:///a/b", "etcd:///greeter?x",
            "etcd:///greeter#x" })
    void rejectsTargetsThatNameNoSingleServiceNamingTheTarget(String target) {
        assertThatIllegalArgumentException().isThrownBy(() -> this.provider.newNameResolver(URI.create(target), args()))
            .withMessageStartingWith("etcd target '" + target + "' ")
            .withMessageContaining("expected etcd:///<service>");
    }

    @Test
    void aChannelWithAnInvalidTargetFailsToBuildNamingTheTarget() {
        NameResolverRegistry.getDefaultRegistry().register(this.provider);
        try {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> NettyChannelBuilder.forTarget("etcd://some-authority/greeter").usePlaintext().build())
                .withStackTraceContaining("etcd target 'etcd://some-authority/greeter' must not name an authority");
        }
        finally {
            NameResolverRegistry.getDefaultRegistry().deregister(this.provider);
        }
    }

    private static NameResolver.Args args() {
        return NameResolver.Args.newBuilder()
            .setDefaultPort(443)
            .setProxyDetector((address) -> null)
            .setSynchronizationContext(new SynchronizationContext((thread, ex) -> {
                throw new AssertionError(ex);
            }))
            .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
                @Override
                public NameResolver.ConfigOrError parseServiceConfig(java.util.Map<String, ?> rawServiceConfig) {
                    return NameResolver.ConfigOrError.fromConfig(rawServiceConfig);
                }
            })
            .build();
    }
}
