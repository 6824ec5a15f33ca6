package dev.etcddiscovery.sample;

import java.time.Duration;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloReply;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import dev.etcddiscovery.test.EtcdCluster;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TestSampleApplication}, in this JVM: the server starts with its own etcd, registers in it, an etcd:///
 * channel of the same application resolves it, and the etcd stops with the application.
 */
@Tag("slow")
class TestSampleApplicationIT {

    @Test
    void startsWithItsOwnEtcdRegistersResolvesAndStopsEtcd() {
        EtcdCluster etcd;
        try (ConfigurableApplicationContext context = TestSampleApplication
            .run("--spring.profiles.active=server", "--spring.main.web-application-type=none",
                    "--etcd.discovery.registration.drain-delay=0", "--grpc.server.port=0",
                    "--grpc.server.address=127.0.0.1", "--etcd.discovery.registration.host=127.0.0.1",
                    "--grpc.client.greeter.address=etcd:///greeter",
                    "--grpc.client.greeter.negotiation-type=plaintext",
                    "--grpc.client.greeter.shutdown-grace-period=0")
            .getApplicationContext()) {
            etcd = context.getBean(EtcdCluster.class);
            await().atMost(Duration.ofSeconds(30))
                .until(() -> etcd.etcdctl("get", "--prefix", "greeter/", "--keys-only"),
                        (keys) -> keys.contains("greeter/127.0.0.1:"));

            // the application's own channel factory, which closes the channel with the context
            Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("greeter");
            HelloReply reply = await().atMost(Duration.ofSeconds(30))
                .ignoreException(StatusRuntimeException.class)
                .until(() -> GreeterGrpc.newBlockingStub(channel)
                    .sayHello(HelloRequest.newBuilder().setName("dev").build()), (answer) -> answer != null);
            assertThat(reply.getMessage()).contains("dev");
        }
        assertThat(etcd.members()).noneMatch((member) -> member.isRunning());
    }
}
