package com.example.greeter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The app registers itself in a real etcd, resolves etcd:///greeter and calls itself through it. */
@EtcdTest
@SpringBootTest(properties = { "grpc.server.address=127.0.0.1", "grpc.server.port=0",
        "etcd.discovery.registration.host=127.0.0.1" })
class GreeterApplicationTests {

    @Autowired
    private Client etcd;

    @Autowired
    private GreeterClient greeter;

    @Test
    void registersResolvesAndCalls() {
        List<KeyValue> keys = await().atMost(Duration.ofSeconds(30))
            .until(this::registered, (found) -> found.size() == 1);
        assertThat(keys.get(0).getKey().toString(StandardCharsets.UTF_8)).startsWith("greeter/127.0.0.1:");
        assertThat(keys.get(0).getValue().toString(StandardCharsets.UTF_8))
            .startsWith("{\"Op\":0,\"Addr\":\"127.0.0.1:");

        // the channel follows the key through its etcd watch; until then calls fail fast with UNAVAILABLE
        String reply = await().atMost(Duration.ofSeconds(30))
            .ignoreException(StatusRuntimeException.class)
            .until(() -> this.greeter.greet("etcd"), (answer) -> answer != null);
        assertThat(reply).isEqualTo("Hello etcd");
    }

    private List<KeyValue> registered() throws Exception {
        return this.etcd.getKVClient()
            .get(ByteSequence.from("greeter/", StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
            .get(5, TimeUnit.SECONDS)
            .getKvs();
    }
}
