package dev.etcddiscovery.registration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.EtcdTest;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * A handle closed while its registry closes: whichever comes first, the handle's close completes. A close whose
 * task the registry's executor dropped on shutdown used to leave its future pending for ever.
 */
@EtcdTest
@Tag("slow")
class RegistryCloseRaceTest {

    private static final int ROUNDS = 300;

    @Test
    void handleClosedWhileTheRegistryClosesAlwaysCompletes(EtcdCluster etcd) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Client client = etcd.client()) {
            List<CompletableFuture<Void>> closes = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                EtcdServiceRegistry registry = EtcdServiceRegistry.builder(client)
                    .requestTimeout(Duration.ofSeconds(2))
                    .defaultTtl(Duration.ofSeconds(5))
                    .build();
                RegistrationHandle handle = registry.register("svc-race", "127.0.0.1:" + (20000 + round), null);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> registryClosed = threads.submit(() -> {
                    start.await();
                    registry.close();
                    return null;
                });
                Future<CompletableFuture<Void>> handleClosed = threads.submit(() -> {
                    start.await();
                    return handle.closeAsync();
                });
                registryClosed.get(30, TimeUnit.SECONDS);
                closes.add(handleClosed.get(30, TimeUnit.SECONDS));
            }
            await("every close of a handle completes").atMost(Duration.ofSeconds(30))
                .until(() -> closes.stream().filter((close) -> !close.isDone()).count(), (pending) -> pending == 0);
        }
        finally {
            threads.shutdownNow();
        }
    }
}
