package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.etcddiscovery.internal.RetryBackoff;
import dev.etcddiscovery.jetcd.EtcdReconnectPacer;
import dev.etcddiscovery.jetcd.MultiplexedWatch;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;

/**
 * Recovery after a long etcd outage: etcd is stopped for minutes, long enough for gRPC's reconnect backoff under
 * jetcd to grow to its two-minute cap, then restarted. Measured from etcd serving again: when a registration started
 * during the outage is in etcd, and when a resolver that lived through it sees a key put right after etcd returned.
 * Each side runs twice in the same outage, with and without {@link EtcdReconnectPacer}, each with its own jetcd
 * client as in production.
 */
final class OutageBench {

    static final Duration MAX_RETRY_BACKOFF = RetryBackoff.DEFAULT_MAX;

    static final Duration BOUND = MAX_RETRY_BACKOFF.plusSeconds(1);

    /** Longer than gRPC's longest reconnect backoff (120 s with jitter): whoever has not caught up by then never will. */
    private static final Duration GIVE_UP = Duration.ofMinutes(4);

    private static final String SERVICE = "outage";

    private static final int SURVIVOR_PORT = 7201;

    private static final int NEW_KEY_PORT = 7202;

    private OutageBench() {
    }

    static void run(Settings settings, Report report) {
        Duration outage = Duration.ofMinutes(settings.outageMinutes());
        String loadBefore;
        Recovery paced;
        Recovery unpaced;
        try (EtcdCluster etcd = EtcdCluster.start(); Client outsider = Etcd.client(etcd)) {
            Etcd.join(Etcd.put(outsider, SERVICE + "/127.0.0.1:" + SURVIVOR_PORT, SURVIVOR_PORT));
            try (Side withPacer = new Side(etcd, true); Side withoutPacer = new Side(etcd, false)) {
                withPacer.awaitEndpoints(1);
                withoutPacer.awaitEndpoints(1);
                etcd.stop();
                withPacer.registerDuringOutage(7301);
                withoutPacer.registerDuringOutage(7302);
                waitOut(outage);
                loadBefore = Machine.loadAverage();
                etcd.restart();
                long healthyAt = System.nanoTime();
                Etcd.join(Etcd.put(outsider, SERVICE + "/127.0.0.1:" + NEW_KEY_PORT, NEW_KEY_PORT));
                paced = new Recovery(healthyAt);
                unpaced = new Recovery(healthyAt);
                long giveUpAt = healthyAt + GIVE_UP.toNanos();
                while (!(paced.done() && unpaced.done()) && System.nanoTime() < giveUpAt) {
                    paced.check(withPacer, outsider);
                    unpaced.check(withoutPacer, outsider);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
        }
        report(report, outage, loadBefore, paced, unpaced);
    }

    private static void waitOut(Duration outage) {
        long end = System.nanoTime() + outage.toNanos();
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            System.err.printf(Locale.ROOT, "outage: etcd down, %d s left%n", TimeUnit.NANOSECONDS.toSeconds(left));
            LockSupport.parkNanos(Math.min(left, TimeUnit.SECONDS.toNanos(30)));
        }
    }

    private static void report(Report report, Duration outage, String loadBefore, Recovery paced,
            Recovery unpaced) {
        report.section("8. Recovery after a " + outage.toMinutes() + " min etcd outage");
        report.note("One etcd stopped (SIGTERM) for " + outage.toMinutes() + " min, then restarted. Per side its own "
                + "jetcd client, `max-retry-backoff` " + MAX_RETRY_BACKOFF.toSeconds() + " s: a resolver following `"
                + SERVICE + "/` through the outage, and a registration started during it. Time from etcd serving "
                + "again (restart returned) to the registration's key in etcd, and to the resolver's listener "
                + "receiving a key put right after. Bound: `max-retry-backoff` + 1 s = " + BOUND.toSeconds() + " s.");
        report.table("", "registration in etcd (ms)", "resolver sees new key (ms)", "within bound")
            .row("with EtcdReconnectPacer (starter)", paced.registeredMs(), paced.followedMs(), paced.within())
            .row("without pacer", unpaced.registeredMs(), unpaced.followedMs(), unpaced.within())
            .end();
        report.note("Load average (1/5/15 min) when etcd was restarted: " + loadBefore + "; \"> " + GIVE_UP.toMillis()
                + "\" means not caught up when the bench gave up.");
    }

    /** A resolver and a registry on their own jetcd client, paced or not, as the starter builds them. */
    private static final class Side implements AutoCloseable {

        private final Client resolverClient;

        private final Client registryClient;

        private final EtcdReconnectPacer resolverPacer;

        private final EtcdReconnectPacer registryPacer;

        private final ServiceDirectory directory;

        private final ResolverProbe probe;

        private final EtcdServiceRegistry registry;

        private String registeredKey;

        Side(EtcdCluster etcd, boolean paced) {
            this.resolverClient = Etcd.client(etcd);
            this.registryClient = Etcd.client(etcd);
            this.resolverPacer = paced ? EtcdReconnectPacer.forClient(this.resolverClient, MAX_RETRY_BACKOFF) : null;
            this.registryPacer = paced ? EtcdReconnectPacer.forClient(this.registryClient, MAX_RETRY_BACKOFF) : null;
            Watch watch = MultiplexedWatch.forClient(this.resolverClient);
            this.directory = ServiceDirectory.builder(this.resolverClient)
                .watchSource(watch)
                .maxRetryBackoff(MAX_RETRY_BACKOFF)
                .build();
            EtcdNameResolverProvider provider = Etcd.provider(this.directory);
            this.probe = ResolverProbe.start(provider, SERVICE, new Expectation<>((addresses) -> true));
            this.registry = EtcdServiceRegistry.builder(this.registryClient)
                .keyWatchSource(MultiplexedWatch.forClient(this.registryClient))
                .requestTimeout(Duration.ofSeconds(5))
                .defaultTtl(Duration.ofSeconds(10))
                .maxRetryBackoff(MAX_RETRY_BACKOFF)
                .build();
        }

        void awaitEndpoints(int count) {
            long deadline = System.nanoTime() + Etcd.TIMEOUT.toNanos();
            while (endpoints() != count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The resolver did not see " + count + " endpoint(s) within "
                            + Etcd.TIMEOUT.toSeconds() + " s, saw " + endpoints());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        void registerDuringOutage(int port) {
            String service = SERVICE + "-server";
            this.registry.register(service, "127.0.0.1:" + port, null);
            this.registeredKey = service + "/127.0.0.1:" + port;
        }

        int endpoints() {
            List<?> latest = this.probe.latest();
            return (latest != null) ? latest.size() : 0;
        }

        boolean registered(Client outsider) {
            return Etcd.join(outsider.getKVClient().get(Etcd.bytes(this.registeredKey))).getCount() == 1;
        }

        @Override
        public void close() {
            this.probe.close();
            this.registry.close();
            this.directory.close();
            if (this.resolverPacer != null) {
                this.resolverPacer.close();
                this.registryPacer.close();
            }
            this.resolverClient.close();
            this.registryClient.close();
        }
    }

    /** When each part of one side caught up, from the moment etcd was serving again. */
    private static final class Recovery {

        private final long healthyAt;

        private Duration registered;

        private Duration followed;

        Recovery(long healthyAt) {
            this.healthyAt = healthyAt;
        }

        void check(Side side, Client outsider) {
            Duration now = Duration.ofNanos(System.nanoTime() - this.healthyAt);
            if (this.followed == null && side.endpoints() == 2) {
                this.followed = now;
            }
            if (this.registered == null && side.registered(outsider)) {
                this.registered = now;
            }
        }

        boolean done() {
            return this.registered != null && this.followed != null;
        }

        String registeredMs() {
            return ms(this.registered);
        }

        String followedMs() {
            return ms(this.followed);
        }

        String within() {
            return (done() && this.registered.compareTo(BOUND) <= 0 && this.followed.compareTo(BOUND) <= 0) ? "yes"
                    : "no";
        }

        private static String ms(Duration duration) {
            return (duration != null) ? String.valueOf(duration.toMillis()) : "> " + GIVE_UP.toMillis();
        }
    }
}
