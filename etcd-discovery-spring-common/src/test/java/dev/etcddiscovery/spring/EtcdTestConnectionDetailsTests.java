package dev.etcddiscovery.spring;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test kit's {@code @EtcdTest} in a {@code @SpringBootTest} supplies the {@link EtcdConnectionDetails} the client
 * is built from; the kit names this interface and its {@code of(List)} without depending on this module, so this
 * test is what keeps the two in step.
 */
@EtcdTest
@SpringBootTest(classes = EtcdTestConnectionDetailsTests.Config.class,
        properties = "etcd.discovery.endpoints=http://127.0.0.1:1")
class EtcdTestConnectionDetailsTests {

    @Autowired
    private EtcdConnectionDetails connectionDetails;

    @Autowired
    private Client client;

    @Autowired
    private Environment environment;

    @Test
    void theClientReachesTheEtcdOfTheTestThroughTheKitsConnectionDetails(EtcdCluster etcd) throws Exception {
        assertThat(this.connectionDetails).isNotInstanceOf(PropertiesEtcdConnectionDetails.class);
        assertThat(this.connectionDetails.getEndpoints())
            .containsExactlyElementsOf(etcd.endpoints().stream().map(URI::create).toList());
        // the kit no longer sets the property: the test's own value stays, and is not used
        assertThat(this.environment.getProperty("etcd.discovery.endpoints")).isEqualTo("http://127.0.0.1:1");

        ByteSequence key = ByteSequence.from("kit/connection-details", StandardCharsets.UTF_8);
        this.client.getKVClient().put(key, ByteSequence.from("yes", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        assertThat(etcd.etcdctl("get", "kit/connection-details", "--print-value-only")).contains("yes");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SslAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class })
    static class Config {

    }
}
