package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.etcddiscovery.bench.app.BenchApp;
import dev.etcddiscovery.bench.app.EchoClient;
import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.FreePorts;
import io.etcd.jetcd.watch.WatchEvent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark 5: the cost of the starter at startup. The same application ({@link BenchApp}: a gRPC server and one
 * client channel to itself) starts in this JVM with the starter's auto-configurations, registering itself and
 * calling {@code etcd:///bench-startup}, and without them, calling {@code static://127.0.0.1:port}.
 */
final class StartupBench {

    private static final String SERVICE = "bench-startup";

    private StartupBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report) {
        Samples withReady = new Samples();
        Samples withServed = new Samples();
        Samples withoutReady = new Samples();
        Samples withoutServed = new Samples();
        Samples withClose = new Samples();
        Samples withoutClose = new Samples();
        Samples readyToKey = new Samples();
        // warm-up starts of each kind (class loading, JIT), then alternate so drift hits both alike
        try (FloorWatch keys = new FloorWatch(etcd, SERVICE + "/")) {
            for (int run = -settings.startupWarmup(); run < settings.startupRuns(); run++) {
                long[] with = start(etcd, keys, true, settings.shortcuts());
                long[] without = start(etcd, keys, false, settings.shortcuts());
                if (run < 0) {
                    continue;
                }
                withReady.add(with[0]);
                withServed.add(with[1]);
                withoutReady.add(without[0]);
                withoutServed.add(without[1]);
                withClose.add(with[2]);
                withoutClose.add(without[2]);
                readyToKey.add(with[3]);
            }
        }
        report.section("5. Startup overhead of the starter");
        report.note("`BenchApp` (grpc-spring server on 127.0.0.1 + one `@GrpcClient(\"bench\")` channel), "
                + "started in this JVM " + settings.startupRuns() + " times each way after " + settings.startupWarmup()
                + " warm-up start(s) each, "
                + "alternating. *With*: the starter's auto-configurations, registration in etcd and the channel on "
                + "`etcd:///" + SERVICE + "` (itself). *Without*: `spring.autoconfigure.exclude` of "
                + String.join(", ", etcdAutoConfigurations().stream().map(StartupBench::simpleName).toList())
                + " and the channel on `static://127.0.0.1:<port>`. *Served*: one call with waitForReady "
                + "through the channel, made right after `run()` returned, answered.");
        report.table("time from SpringApplication.run to ...", "without starter, mean ms", "with starter, mean ms",
                "difference ms")
            .row("ApplicationReadyEvent", Samples.ms(withoutReady.mean()), Samples.ms(withReady.mean()),
                    Samples.ms(withReady.mean() - withoutReady.mean()))
            .row("first call through the channel served", Samples.ms(withoutServed.mean()),
                    Samples.ms(withServed.mean()), Samples.ms(withServed.mean() - withoutServed.mean()))
            .row("*then* context closed (close() returned)", Samples.ms(withoutClose.mean()),
                    Samples.ms(withClose.mean()), Samples.ms(withClose.mean() - withoutClose.mean()))
            .end();
        report.note("With the starter, ApplicationReadyEvent → the app's key seen by a raw jetcd watch (its own "
                + "client, started before the app): mean " + Samples.ms(readyToKey.mean()) + " ms, p50 "
                + Samples.ms(readyToKey.percentile(50)) + ", max " + Samples.ms(readyToKey.max()) + " ms over "
                + readyToKey.size() + " starts (goal ≤ 50 ms).");
    }

    /**
     * Nanoseconds from run() to ApplicationReadyEvent and to the first call answered; then how long close took, and
     * (with the starter) from ApplicationReadyEvent to the app's key in etcd.
     */
    private static long[] start(EtcdCluster etcd, FloorWatch keys, boolean withStarter, boolean shortGracePeriod) {
        int port = FreePorts.next();
        List<String> args = new ArrayList<>(List.of("--spring.application.name=" + SERVICE,
                "--spring.main.banner-mode=off", "--grpc.server.address=127.0.0.1", "--grpc.server.port=" + port,
                "--grpc.client.bench.negotiation-type=plaintext"));
        if (shortGracePeriod) {
            args.add("--grpc.client.bench.shutdown-grace-period=1s");
        }
        if (withStarter) {
            args.addAll(List.of("--etcd.discovery.endpoints=" + etcd.endpointList(),
                    "--etcd.discovery.registration.host=127.0.0.1",
                    "--grpc.client.bench.address=etcd:///" + SERVICE));
        }
        else {
            args.addAll(List.of("--spring.autoconfigure.exclude=" + String.join(",", etcdAutoConfigurations()),
                    "--grpc.client.bench.address=static://127.0.0.1:" + port));
        }
        Expectation<WatchEvent> registered = keys.expect((event) -> event.getEventType() == WatchEvent.EventType.PUT);
        ReadyTime ready = new ReadyTime();
        SpringApplication application = new SpringApplication(BenchApp.class);
        application.addListeners(ready);
        long start = System.nanoTime();
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        String answeredBy;
        long served;
        long keyVisible = 0;
        try {
            answeredBy = context.getBean(EchoClient.class).who();
            served = System.nanoTime();
            if (withStarter) {
                keyVisible = registered.await(Duration.ofSeconds(30), "the key of " + SERVICE) - ready.nanos;
            }
        }
        finally {
            context.close();
        }
        long closed = System.nanoTime();
        if (!SERVICE.equals(answeredBy)) {
            throw new IllegalStateException("The call was answered by " + answeredBy);
        }
        return new long[] { ready.nanos - start, served - start, closed - served, keyVisible };
    }

    /** Every auto-configuration of the starter, from its AutoConfiguration.imports. */
    private static List<String> etcdAutoConfigurations() {
        return ImportCandidates.load(AutoConfiguration.class, StartupBench.class.getClassLoader())
            .getCandidates()
            .stream()
            .filter((name) -> name.startsWith("dev.etcddiscovery."))
            .toList();
    }

    private static String simpleName(String className) {
        return "`" + className.substring(className.lastIndexOf('.') + 1) + "`";
    }

    private static final class ReadyTime implements ApplicationListener<ApplicationReadyEvent> {

        private volatile long nanos;

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            this.nanos = System.nanoTime();
        }
    }
}
