package dev.etcddiscovery.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line: benchmark names (none: every benchmark), {@code --smoke} for tiny counts, {@code --no-go} to leave out etcd's Go resolver (measured by default in
 * full runs) and {@code --go} to measure it in a smoke run too.
 */
record BenchArgs(List<Benchmarks.Entry> benchmarks, Settings settings) {

    static final String USAGE = "usage: java -jar etcd-discovery-bench.jar [--smoke] [--go|--no-go] ["
            + String.join("|", Benchmarks.names()) + " ...]";

    static BenchArgs parse(String... args) {
        List<Benchmarks.Entry> selected = new ArrayList<>();
        boolean smoke = false;
        Boolean go = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--smoke" -> smoke = true;
                case "--go" -> go = true;
                case "--no-go" -> go = false;
                default -> selected.add(Benchmarks.named(arg)
                    .orElseThrow(() -> new IllegalArgumentException("Unknown benchmark or option '" + arg + "'; "
                            + USAGE)));
            }
        }
        Settings settings = smoke ? Settings.smoke() : Settings.full();
        if (go != null) {
            settings = settings.withGoAnchor(go);
        }
        return new BenchArgs(selected.isEmpty() ? Benchmarks.all() : List.copyOf(selected), settings);
    }
}
