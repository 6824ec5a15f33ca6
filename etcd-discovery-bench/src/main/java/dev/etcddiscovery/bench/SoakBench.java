package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import dev.etcddiscovery.test.EtcdCluster;

/**
 * Soak: a client JVM follows two services for many minutes while servers are killed and replaced, dead keys appear,
 * a server flaps and etcd restarts once; at the end of every minute, what it costs etcd (watch streams, watchers,
 * Range / Watch / LeaseGrant calls) and the client (heap, threads). Healthy is flat.
 */
final class SoakBench {

    static final List<String> SERVICES = List.of("soak-a", "soak-b");

    /** The bench's own watch on the servers' prefixes, open the whole run. */
    static final int BENCH_WATCHES = 1;

    private static final Duration TTL = Duration.ofSeconds(5);

    private SoakBench() {
    }

    static List<SoakMinute> run(Settings settings, Report report) {
        Settings.SoakSettings soak = settings.soak();
        List<SoakMinute> minutes = new ArrayList<>();
        String flaps;
        try (EtcdCluster etcd = EtcdCluster.start();
                SoakFleet fleet = new SoakFleet(etcd, SERVICES, TTL.toSeconds() + "s", settings.shortcuts());
                FlappingServer flapper = new FlappingServer()) {
            SoakFleet.Registrations registrations = fleet.startEach(soak.serversPerService());
            // the client starts beside the servers; its channels are answered once each service has a server
            try (SoakClientProcess client = SoakClientProcess.start(etcd, SERVICES, soak.channelsPerService(),
                    settings.shortcuts())) {
                registrations.await();
                SoakDisturbances disturbances = new SoakDisturbances(etcd, fleet, flapper, SERVICES,
                        soak.deadKeysPerService());
                EtcdLoad load = EtcdLoad.read(etcd.endpoint());
                SoakClientProcess.Sample sample = client.sample();
                minutes.add(new SoakMinute(0, SoakDisturbance.STEADY, 0, load.since(load), sample, 0, 0,
                        budget(fleet), 0));
                for (int minute = 1; minute <= soak.minutes(); minute++) {
                    long start = System.nanoTime();
                    long end = start + soak.minute().toNanos();
                    SoakDisturbance disturbance = SoakDisturbance.at(minute);
                    EtcdLoad beforeRestart = disturbances.begin(disturbance);
                    // the minute is the measurement window: what happens in it is what is measured
                    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                        LockSupport.parkNanos(left);
                    }
                    disturbances.end(disturbance);
                    EtcdLoad now = EtcdLoad.read(etcd.endpoint());
                    EtcdLoad during = (beforeRestart != null) ? beforeRestart.since(load).plus(now.since(EtcdLoad.NONE))
                            : now.since(load);
                    SoakClientProcess.Sample next = client.sample();
                    long seconds = Math.round((System.nanoTime() - start) / 1e9);
                    minutes.add(new SoakMinute(minute, disturbance, seconds, during, next,
                            next.succeeded() - sample.succeeded(), next.failed() - sample.failed(), budget(fleet),
                            keyChecks(fleet, soak.minute())));
                    // the table comes at the end: show progress on stderr, with the library warnings
                    System.err.printf(Locale.ROOT, "soak minute %d/%d (%s): %d watch streams, %d watchers, %d Range "
                            + "calls%n", minute, soak.minutes(), disturbance, during.watchStreams(), during.watchers(),
                            during.rangeCalls());
                    load = now;
                    sample = next;
                }
            }
            flaps = flapper.describe();
        }
        report(report, settings, minutes, flaps);
        return minutes;
    }

    private static int budget(SoakFleet fleet) {
        return SERVICES.size() + fleet.live() + BENCH_WATCHES;
    }

    private static long keyChecks(SoakFleet fleet, Duration minute) {
        return fleet.live() * ((minute.toMillis() + TTL.toMillis() - 1) / TTL.toMillis());
    }

    private static void report(Report report, Settings settings, List<SoakMinute> minutes, String flaps) {
        Settings.SoakSettings soak = settings.soak();
        report.section("7. Soak: " + soak.minutes() + " × " + soak.minute().toSeconds() + " s under churn");
        report.note("One etcd; " + soak.serversPerService() + " server JVM(s) per service ("
                + ServerProcess.describe() + ", TTL " + TTL.toSeconds() + " s) under `"
                + String.join("`, `", SERVICES) + "`; one client JVM (`SoakClientApp`: the starter, "
                + soak.channelsPerService() + " grpc-spring channels per service, each calling the health service "
                + "every 200 ms) following both the whole time. At the start of each minute one disturbance; at its "
                + "end etcd's `/metrics` (watch streams and watchers now; Range, Watch and LeaseGrant calls started "
                + "during the minute, summed across the etcd restart) and the client over JMX (heap after a full GC "
                + "/ heap used before it, live threads). *Budget*: followed prefixes (" + SERVICES.size()
                + ") + registrations (one key watch per running server) + the bench's own watch (" + BENCH_WATCHES
                + "): what the running processes need. *Key checks*: the Range calls the registrations make on "
                + "their own (a count-only get of its key per TTL each). Dead keys per service: "
                + soak.deadKeysPerService() + ". Flapping server: " + flaps + ". *s*: the minute's length; longer "
                + "than " + soak.minute().toSeconds() + " s when a new server took longer to register.");
        Report.Table table = report.table("minute", "disturbance at its start", "s", "watch streams", "watchers",
                "budget", "Range calls (key checks)", "Watch calls", "LeaseGrant calls",
                "client heap after GC / used MiB", "client threads", "calls answered / failed");
        for (SoakMinute minute : minutes) {
            boolean start = minute.minute() == 0;
            table.row(String.valueOf(minute.minute()),
                    start ? "(start: every server and the client up)" : minute.disturbance().description(),
                    start ? "—" : String.valueOf(minute.seconds()),
                    String.valueOf(minute.etcd().watchStreams()), String.valueOf(minute.etcd().watchers()),
                    String.valueOf(minute.watchBudget()),
                    start ? "—" : minute.etcd().rangeCalls() + " (" + minute.keyChecks() + ")",
                    start ? "—" : String.valueOf(minute.etcd().watchCalls()),
                    start ? "—" : String.valueOf(minute.etcd().leaseGrants()),
                    Jvm.mib(minute.client().heapAfterGc()) + " / " + Jvm.mib(minute.client().heapUsed()),
                    String.valueOf(minute.client().threads()),
                    start ? "—" : minute.callsAnswered() + " / " + minute.callsFailed());
        }
        table.end();
        long over = minutes.stream()
            .filter((minute) -> minute.etcd().watchStreams() > minute.watchBudget()
                    || minute.etcd().watchers() > minute.watchBudget())
            .count();
        report.note(String.format(Locale.ROOT, "Minutes ending with more watch streams or watchers on etcd than the "
                + "budget: %d of %d. Flat is healthy: watches within the budget, no Range calls beyond the key "
                + "checks in quiet minutes (steady, dead keys, storm), client heap after GC and threads level.", over,
                minutes.size() - 1));
    }
}
