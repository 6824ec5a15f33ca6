package dev.etcddiscovery.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import dev.etcddiscovery.test.EtcdCertificates;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample's {@code tls} profile, as jars of the line under test: a server with {@code server,tls} serves TLS only
 * (a plaintext call fails), and a client with {@code client,tls} calls it through etcd:///greeter, checking its
 * certificate for "greeter". The certificates are made by the test and passed as sample.tls.* locations. Under a
 * namespace of its own, so that it shares etcd with nothing. Each sample module runs it with its own line's jar.
 */
@EtcdTest
@Tag("slow")
public abstract class AbstractSampleTlsIT {

    private static final String NAMESPACE = "tls-sample/";

    @Test
    void aTlsClientCallsATlsServerThroughEtcd(EtcdCluster etcd) throws Exception {
        EtcdCertificates certificates = EtcdCertificates.generate("etcd-client");
        EtcdCertificates.Issued greeter = certificates.issue("greeter");
        List<String> tls = List.of("--etcd.discovery.namespace=" + NAMESPACE,
                "--sample.tls.ca=file:" + certificates.caCertificate(),
                "--sample.tls.certificate=file:" + greeter.certificate(),
                "--sample.tls.private-key=file:" + greeter.privateKey());
        List<String> serverArgs = new ArrayList<>(List.of("--spring.profiles.active=server,tls"));
        serverArgs.addAll(tls);
        try (Client reader = etcd.client();
                SampleProcess server = SampleProcess.server(etcd.endpointList(), 0, serverArgs.toArray(String[]::new))) {
            String address = await().atMost(120, TimeUnit.SECONDS)
                .until(() -> registeredAddress(reader), (registered) -> registered != null);
            ManagedChannel plaintext = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
            try {
                assertThatExceptionOfType(StatusRuntimeException.class)
                    .as("a plaintext call to the tls server; its output in %s", server.outputFile())
                    .isThrownBy(() -> GreeterGrpc.newBlockingStub(plaintext)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("plaintext").build()));
            }
            finally {
                plaintext.shutdownNow();
            }

            List<String> clientArgs = new ArrayList<>(List.of("--spring.profiles.active=client,tls",
                    "--etcd.discovery.endpoints=" + etcd.endpointList(), "--sample.calls=5",
                    "--sample.interval=50ms", "--sample.deadline=30s"));
            clientArgs.addAll(tls);
            try (SampleProcess client = SampleProcess.start("client-tls", clientArgs.toArray(String[]::new))) {
                assertThat(client.awaitExit(120)).as("client exit status; output in %s", client.outputFile()).isZero();
                assertThat(client.output()).contains("5 calls, 0 failures");
                assertThat(client.answeringInstances()).hasSize(1);
            }
        }
    }

    private static String registeredAddress(Client reader) throws Exception {
        List<KeyValue> keys = reader.getKVClient()
            .get(ByteSequence.from(NAMESPACE + "greeter/", StandardCharsets.UTF_8),
                    GetOption.builder().isPrefix(true).build())
            .get(10, TimeUnit.SECONDS)
            .getKvs();
        return keys.isEmpty() ? null
                : keys.get(0).getKey().toString(StandardCharsets.UTF_8).substring((NAMESPACE + "greeter/").length());
    }
}
