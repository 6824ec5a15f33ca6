package dev.etcddiscovery.boot3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.etcddiscovery.jetcd.EtcdReconnectPacer;
import dev.etcddiscovery.test.ForwardingClient;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdReconnectPacer} on real jetcd clients and a loopback port that accepts connections and closes them at
 * once, as a dead etcd behind a load balancer would: each accepted connection is one reconnect attempt.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("slow")
class EtcdReconnectPacerTest {

    @Test
    void aClientThatCannotReachEtcdKeepsTryingEveryInterval() throws Exception {
        try (ClosingPort etcd = ClosingPort.open(); Client client = Client.builder().endpoints(etcd.endpoint()).build();
                EtcdReconnectPacer pacer = EtcdReconnectPacer.forClient(client, Duration.ofMillis(200))) {
            assertThat(pacer.isPacing()).isTrue();
            // waits for etcd: jetcd calls wait for a ready connection
            client.getKVClient().get(ByteSequence.from("any", StandardCharsets.UTF_8));
            // gRPC's own backoff (1, 1.6, 2.6, 4.1, 6.6, 10.5, 16.8 s, ...) makes its 12th attempt only after 4 minutes
            await().atMost(Duration.ofSeconds(30)).until(() -> etcd.connections() >= 12);
        }
    }

    @Test
    void aClientNobodyUsesIsNotConnected() throws Exception {
        try (ClosingPort etcd = ClosingPort.open(); Client client = Client.builder().endpoints(etcd.endpoint()).build();
                EtcdReconnectPacer pacer = EtcdReconnectPacer.forClient(client, Duration.ofMillis(200))) {
            assertThat(pacer.isPacing()).isTrue();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> etcd.connections() == 0);
        }
    }

    @Test
    void aClientOfAnotherKindIsLeftAloneWithOneLogLine(CapturedOutput output) {
        try (Client jetcd = Client.builder().endpoints("http://127.0.0.1:1").build();
                Client wrapped = new WrappedClient(jetcd);
                EtcdReconnectPacer pacer = EtcdReconnectPacer.forClient(wrapped, Duration.ofSeconds(5))) {
            assertThat(pacer.isPacing()).isFalse();
            assertThat(output).containsOnlyOnce("The etcd client is a " + WrappedClient.class.getName()
                    + ", not jetcd's own: after a long etcd outage its reconnects follow gRPC's backoff");
        }
    }

    @Test
    void closingStopsPacing() {
        try (Client client = Client.builder().endpoints("http://127.0.0.1:1").build()) {
            EtcdReconnectPacer pacer = EtcdReconnectPacer.forClient(client, Duration.ofSeconds(5));
            assertThat(pacer.isPacing()).isTrue();
            pacer.close();
            assertThat(pacer.isPacing()).isFalse();
        }
    }

    /** A loopback port that accepts every connection and closes it at once, counting them. */
    private static final class ClosingPort implements AutoCloseable {

        private final ServerSocket socket;

        private final AtomicInteger connections = new AtomicInteger();

        private ClosingPort() throws IOException {
            this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(this::acceptAndClose, "closing-port-" + this.socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static ClosingPort open() throws IOException {
            return new ClosingPort();
        }

        String endpoint() {
            return "http://127.0.0.1:" + this.socket.getLocalPort();
        }

        int connections() {
            return this.connections.get();
        }

        private void acceptAndClose() {
            while (!this.socket.isClosed()) {
                try (Socket connection = this.socket.accept()) {
                    this.connections.incrementAndGet();
                }
                catch (IOException ex) {
                    if (!this.socket.isClosed()) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            this.socket.close();
        }
    }

    /** A user's own {@link Client}: here one that hands out the clients of a jetcd client it wraps. */
    private static final class WrappedClient extends ForwardingClient {

        WrappedClient(Client delegate) {
            super(delegate);
        }
    }
}
