package dev.etcddiscovery.sample.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import dev.etcddiscovery.sample.SampleProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample client calling greeter without end ({@code etcd:///greeter} unless told another target), every 20 ms,
 * each call with a 5 s deadline. Its
 * calls are read from its output; stopping it is a SIGTERM after reading, so the calls that fail because the client
 * itself shuts down are not counted.
 */
final class ContinuousClient implements AutoCloseable {

    static final Duration GENEROUS = Duration.ofSeconds(60);

    /** How long the sample JVMs may take to start and register: on a loaded 2-core machine that took ~60 s. */
    static final Duration STARTUP = Duration.ofSeconds(240);

    private static final Duration POLL = Duration.ofMillis(10);

    private final SampleProcess process;

    private final CallLogReader calls;

    private ContinuousClient(SampleProcess process) {
        this.process = process;
        this.calls = new CallLogReader(process.outputFile());
    }

    static ContinuousClient start(String etcdEndpoints) throws IOException {
        return start(etcdEndpoints, "etcd:///greeter");
    }

    /** A client whose channel targets {@code target}, e.g. {@code discovery:///greeter}, with more arguments. */
    static ContinuousClient start(String etcdEndpoints, String target, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=client",
                "--etcd.discovery.endpoints=" + etcdEndpoints, "--grpc.client.greeter.address=" + target,
                "--sample.calls=0", "--sample.interval=20ms", "--sample.deadline=5s"));
        args.addAll(List.of(extraArgs));
        return new ContinuousClient(SampleProcess.start("client", args.toArray(String[]::new)));
    }

    /** The calls printed so far. */
    CallLog calls() {
        try {
            return this.calls.read();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Everything printed so far (calls and logs). */
    String output() {
        try {
            return this.process.output();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Waits until calls made from now on have been answered by each of {@code instances}, and returns the number of
     * the last call made by then: the start of a window whose calls must all succeed. Instances are awaited this way
     * right after their JVMs (and the client's) were started, so the deadline is {@link #STARTUP}.
     */
    long awaitAnsweredBy(Collection<String> instances) {
        return awaitAnsweredBy(instances, STARTUP);
    }

    /** As {@link #awaitAnsweredBy(Collection)}, waiting up to {@code deadline}, e.g. {@link #STARTUP}. */
    long awaitAnsweredBy(Collection<String> instances, Duration deadline) {
        long start = calls().last();
        await().atMost(deadline).untilAsserted(() -> {
            assertThat(this.process.isAlive()).as("client alive; output in %s", this.process.outputFile()).isTrue();
            assertThat(calls().after(start).instances()).as("instances answering after call %d", start)
                .containsAll(instances);
        });
        return calls().last();
    }

    /**
     * Waits until a call made from now on is answered by {@code instance}, reading the output every 10 ms, and returns
     * when ({@link System#nanoTime()}) that answer was seen.
     */
    long awaitFirstAnswerBy(String instance) {
        long start = calls().last();
        await("a call after call " + start + " answered by " + instance + "; output in " + outputFile())
            .atMost(GENEROUS)
            .pollInterval(POLL)
            .until(() -> calls().after(start).instances().contains(instance));
        return System.nanoTime();
    }

    /**
     * Waits until the last {@code count} calls were all answered, and only by {@code instances}, reading the output
     * every 10 ms, and returns when ({@link System#nanoTime()}) an answer by another instance to a call after
     * {@code afterCall} was last seen, or {@code sinceNanos} when there was none: the moment the calls moved over, to
     * within the polling.
     */
    long awaitMovedTo(Set<String> instances, int count, long afterCall, long sinceNanos) {
        long[] lastOther = { sinceNanos };
        long[] read = { afterCall };
        await("the last " + count + " calls answered, only by " + instances + "; output in " + outputFile())
            .atMost(GENEROUS)
            .pollInterval(POLL)
            .until(() -> {
                CallLog log = calls();
                if (!instances.containsAll(log.after(read[0]).instances())) {
                    lastOther[0] = System.nanoTime();
                }
                read[0] = log.last();
                CallLog recent = log.lastCalls(count);
                return recent.size() == count && recent.failures().isEmpty()
                        && instances.containsAll(recent.instances());
            });
        return lastOther[0];
    }

    /** Waits until {@code count} more calls were made, whatever their outcome. */
    void awaitMoreCalls(int count) {
        long target = calls().last() + count;
        await().atMost(GENEROUS).until(() -> calls().last() >= target);
    }

    /** Waits until the last {@code count} calls were all answered, and only by {@code instances}. */
    void awaitOnlyAnsweredBy(Set<String> instances, int count) {
        await().atMost(GENEROUS).untilAsserted(() -> {
            CallLog recent = calls().lastCalls(count);
            assertThat(recent.size()).isEqualTo(count);
            assertThat(recent.failures()).isEmpty();
            assertThat(recent.instances()).isSubsetOf(instances);
        });
    }

    /** Where the client's output goes, for failure messages. */
    String outputFile() {
        return this.process.outputFile().toString();
    }

    /** SIGTERM, as for a server; falls back to SIGKILL when the client does not exit. */
    @Override
    public void close() throws InterruptedException {
        try {
            this.process.stop();
        }
        finally {
            this.process.close();
        }
    }
}
