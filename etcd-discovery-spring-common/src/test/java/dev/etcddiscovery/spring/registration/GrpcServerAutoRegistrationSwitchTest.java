package dev.etcddiscovery.spring.registration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import dev.etcddiscovery.registration.EtcdProbe;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code etcd.discovery.registration.enabled} read at run time, as an AOT-processed application needs it (its
 * condition was decided at build time): a started server of a disabled registration is not registered, of an enabled
 * one it is.
 */
@EtcdTest
class GrpcServerAutoRegistrationSwitchTest {

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aStartedServerIsRegisteredOnlyWhenTheSwitchIsOn(boolean enabled, EtcdCluster etcd) throws Exception {
        try (Client client = etcd.client(); EtcdServiceRegistry registry = EtcdServiceRegistry.builder(client).build();
                EtcdProbe probe = new EtcdProbe(etcd)) {
            Server server = startServer();
            try {
                String service = "switch-" + enabled;
                GrpcServerAutoRegistration registration = new GrpcServerAutoRegistration(registry,
                        new GrpcServerEndpoint(service, "127.0.0.1", null, null, Duration.ofSeconds(10)),
                        Duration.ofSeconds(5), Duration.ZERO, enabled);

                registration.serverStarted(server);
                registration.onApplicationReady(null);

                assertThat(registration.registration().isPresent()).as("registered").isEqualTo(enabled);
                if (enabled) {
                    await().atMost(Duration.ofSeconds(30))
                        .until(() -> probe.present(service + "/127.0.0.1:" + server.getPort()));
                }
                else {
                    assertThat(probe.prefix(service + "/")).isEmpty();
                }
            }
            finally {
                server.shutdownNow();
            }
        }
    }

    private static Server startServer() throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
    }
}
