package dev.etcddiscovery.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line: benchmark names (none: every benchmark except the soak, the outage and the fleet),
 * {@code --smoke} for tiny counts, {@code --minutes N} for the soak's length and the outage benchmark's time without
 * etcd, {@code --fleet-clients N[,N...]} for the fleet benchmark's sizes, {@code --large-endpoints N[,N...]} for the
 * endpoint counts of the large-service benchmark (10,000 and 100,000 in a full run), {@code --no-go} to leave out
 * etcd's Go resolver (measured by default in full runs) and {@code --go} to measure it in a smoke run too.
 */
record BenchArgs(List<Benchmarks.Entry> benchmarks, Settings settings) {

    static final String USAGE = "usage: java -jar etcd-discovery-bench.jar [--smoke] [--go|--no-go] [--minutes N] "
            + "[--fleet-clients N[,N...]] [--large-endpoints N[,N...]] ["
            + String.join("|", Benchmarks.names()) + " ...]";

    static BenchArgs parse(String... args) {
        List<Benchmarks.Entry> selected = new ArrayList<>();
        boolean smoke = false;
        Boolean go = null;
        Integer minutes = null;
        List<Integer> fleetClients = null;
        List<Integer> largeEndpoints = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--smoke" -> smoke = true;
                case "--go" -> go = true;
                case "--no-go" -> go = false;
                case "--minutes" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--minutes needs a number of minutes; " + USAGE);
                    }
                    minutes = minutes(args[++i]);
                }
                case "--fleet-clients" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--fleet-clients needs client counts, e.g. 100,500; "
                                + USAGE);
                    }
                    fleetClients = counts(arg, args[++i]);
                }
                case "--large-endpoints" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--large-endpoints needs counts such as 10000,100000; "
                                + USAGE);
                    }
                    largeEndpoints = counts(arg, args[++i]);
                }
                default -> selected.add(Benchmarks.named(arg)
                    .orElseThrow(() -> new IllegalArgumentException("Unknown benchmark or option '" + arg + "'; "
                            + USAGE)));
            }
        }
        Settings settings = smoke ? Settings.smoke() : Settings.full();
        if (go != null) {
            settings = settings.withGoAnchor(go);
        }
        if (minutes != null) {
            settings = settings.withSoak(settings.soak().withMinutes(minutes)).withOutageMinutes(minutes);
        }
        if (fleetClients != null) {
            settings = settings.withFleet(settings.fleet().withClients(fleetClients));
        }
        if (largeEndpoints != null) {
            settings = settings.withLargeEndpoints(largeEndpoints);
        }
        return new BenchArgs(selected.isEmpty() ? Benchmarks.allButLong() : List.copyOf(selected), settings);
    }

    /** The counts {@code option} was given: whole numbers of at least 1, separated by commas. */
    private static List<Integer> counts(String option, String value) {
        try {
            List<Integer> counts = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
            if (counts.stream().allMatch((count) -> count >= 1)) {
                return counts;
            }
        }
        catch (NumberFormatException ex) {
            // reported below with the value
        }
        throw new IllegalArgumentException(option + " must be whole numbers of at least 1 separated by commas, was '"
                + value + "'");
    }

    private static int minutes(String value) {
        try {
            int minutes = Integer.parseInt(value);
            if (minutes >= 1) {
                return minutes;
            }
        }
        catch (NumberFormatException ex) {
            // reported below with the value
        }
        throw new IllegalArgumentException("--minutes must be a whole number of at least 1, was '" + value + "'");
    }
}
