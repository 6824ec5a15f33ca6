package dev.etcddiscovery.boot3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.registration.EtcdProbe;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that dies without a chance to deregister (SIGKILL of its JVM) leaves etcd when its lease expires.
 */
@EtcdTest
@Tag("slow")
class KilledApplicationIntegrationTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void keyOfAKilledApplicationIsGoneWithinTheTtlPlusOneSecond(EtcdCluster etcd) throws Exception {
        Path log = Paths.get("target", "killed-app.log");
        Files.createDirectories(log.getParent());
        Process app = new ProcessBuilder(command(etcd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (EtcdProbe probe = new EtcdProbe(etcd)) {
            await().atMost(Duration.ofSeconds(90))
                .failFast("the application exited; see " + log.toAbsolutePath(), () -> !app.isAlive())
                .until(() -> probe.prefix("killed/").size() == 1);

            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();

            await().atMost(TTL.plusSeconds(1)).until(() -> probe.prefix("killed/").isEmpty());
        }
        finally {
            app.destroyForcibly();
        }
    }

    private static List<String> command(EtcdCluster etcd) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may run tests from a manifest-only jar; this property holds the real test classpath.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                RegistrationTestApp.class.getName(), "--etcd.discovery.endpoints=" + etcd.endpointList(),
                "--spring.application.name=killed", "--grpc.server.port=0", "--grpc.server.address=127.0.0.1",
                "--etcd.discovery.registration.host=127.0.0.1",
                "--etcd.discovery.registration.ttl=" + TTL.toSeconds() + "s");
    }
}
