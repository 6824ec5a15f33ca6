package dev.etcddiscovery.bench;

import java.util.List;
import java.util.Locale;

import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;

/**
 * Benchmark 1: from a put to the moment the resolver hands gRPC the new list, against a raw jetcd watch on the same
 * etcd; measured warm (after thousands of changes) with the cold numbers kept, and the staleness a polling re-list
 * would have instead.
 */
final class PropagationBench {

    private PropagationBench() {
    }

    static void run(EtcdCluster etcd, Settings settings, Report report, Figures figures) {
        Interleaved run;
        Samples list = new Samples();
        try (Client writer = Etcd.client(etcd); TimedClient resolverClient = new TimedClient(Etcd.client(etcd));
                ServiceDirectory watches = Etcd.watches(resolverClient);
                PropagationVariants variants = PropagationVariants.start(etcd, writer, resolverClient, watches)) {
            run = Interleaved.run(List.of(variants::raw, variants::resolver, variants::paired,
                    variants::resolverGrowing, variants::pairedGrowing), settings.warmup(),
                    settings.propagationChanges());
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                Etcd.join(writer.getKVClient()
                    .get(Etcd.bytes(PropagationVariants.PAIRED + "/"), GetOption.builder().isPrefix(true).build()));
                list.add(System.nanoTime() - start);
            }
        }
        report.section("1. Propagation: put → resolver hands gRPC the new list");
        Settings.Warmup warmup = settings.warmup();
        int growingFrom = PropagationVariants.INSTANCES + warmup.changes();
        report.note("Five variants, each on its own prefix. On a service of " + PropagationVariants.INSTANCES
                + " endpoints, each change putting one endpoint's key with a new port: **raw watch** (a jetcd prefix "
                + "watch on its own client, what any other process would see), **resolver** (the etcd:/// resolver "
                + "alone, driven like a channel drives it) and **paired** (the resolver plus raw watches on its own "
                + "client and on a separate client, all seeing the same puts: the per-change overhead). **Growing**: "
                + "the resolver alone and paired with a raw watch on a separate client, each change a new endpoint, "
                + "as etcd's Go resolver anchor measures (its list holds " + growingFrom + "–"
                + (growingFrom + settings.propagationChanges()) + " endpoints while measured). Times from just "
                + "before the put. The variants take turns in blocks of " + warmup.block() + " changes: "
                + warmup.changes() + " warm-up changes of each (not counted), then " + settings.propagationChanges()
                + " measured changes of each. \"Resolver's own work\" is the moment jetcd calls the resolver's "
                + "watch listener (a pass-through wrapper of its jetcd client) to the moment the channel's listener "
                + "has the list.");
        report.table(GcColumns.HEADERS)
            .row(GcColumns.row("raw watch alone, own client", run, PropagationVariants.RAW_WATCH))
            .row(GcColumns.row("resolver alone → listener", run, PropagationVariants.RESOLVER))
            .row(GcColumns.row("resolver alone: its own work (jetcd delivery → listener)", run,
                    PropagationVariants.RESOLVER_OWN_WORK))
            .row(GcColumns.row("paired: raw watch, own client", run, PropagationVariants.PAIRED_WATCH))
            .row(GcColumns.row("paired: raw watch on the resolver's client", run,
                    PropagationVariants.PAIRED_SAME_CLIENT_WATCH))
            .row(GcColumns.row("paired: resolver → listener", run, PropagationVariants.PAIRED_RESOLVER))
            .row(GcColumns.row("paired: overhead per change vs own-client watch", run,
                    PropagationVariants.PAIRED_OVER_WATCH))
            .row(GcColumns.row("paired: overhead per change vs same-client watch", run,
                    PropagationVariants.PAIRED_OVER_SAME_CLIENT_WATCH))
            .row(GcColumns.row("growing: resolver alone → listener", run, PropagationVariants.GROWING_RESOLVER))
            .row(GcColumns.row("growing: paired, overhead per change vs own-client watch", run,
                    PropagationVariants.GROWING_OVER_WATCH))
            .end();
        report.note("JIT (a round is " + warmup.block() + " changes of each variant): " + run.jit()
                + ". Garbage collections during the measured changes: " + run.gcPauses() + ".");
        report.note("\n**Cold** (the first " + warmup.cold() + " changes of each variant, the first this JVM makes: "
                + "uptime " + run.coldWindow() + "; what a service sees in its first minute):");
        report.table(Report.latencyHeaders("cold: put → ..."))
            .row(Report.latencyRow("raw watch alone, own client", run.cold(PropagationVariants.RAW_WATCH)))
            .row(Report.latencyRow("resolver alone → listener", run.cold(PropagationVariants.RESOLVER)))
            .row(Report.latencyRow("resolver alone: its own work", run.cold(PropagationVariants.RESOLVER_OWN_WORK)))
            .row(Report.latencyRow("paired: overhead per change vs own-client watch",
                    run.cold(PropagationVariants.PAIRED_OVER_WATCH)))
            .row(Report.latencyRow("growing: resolver alone → listener",
                    run.cold(PropagationVariants.GROWING_RESOLVER)))
            .end();
        Samples resolver = run.warm(PropagationVariants.RESOLVER);
        report.note(String.format(Locale.ROOT, "Overhead (target ≤ 0.5 ms at p99), warm: the resolver's own work "
                + "p50 %s / p99 %s ms; per change vs a watch on the same client p99 %s ms.",
                Samples.ms(run.warm(PropagationVariants.RESOLVER_OWN_WORK).percentile(50)),
                Samples.ms(run.warm(PropagationVariants.RESOLVER_OWN_WORK).percentile(99)),
                Samples.ms(run.warm(PropagationVariants.PAIRED_OVER_SAME_CLIENT_WATCH).percentile(99))));
        Polling.compare(report, "a change reaches gRPC", list, resolver);
        figures.put(Figures.RAW_WATCH, run.warm(PropagationVariants.RAW_WATCH));
        figures.put(Figures.RAW_WATCH_COLD, run.cold(PropagationVariants.RAW_WATCH));
        figures.put(Figures.GROWING_RESOLVER, run.warm(PropagationVariants.GROWING_RESOLVER));
        figures.put(Figures.GROWING_RESOLVER_COLD, run.cold(PropagationVariants.GROWING_RESOLVER));
        figures.put(Figures.GROWING_OVER_WATCH, run.warm(PropagationVariants.GROWING_OVER_WATCH));
    }
}
