package dev.etcddiscovery.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;

/**
 * One reading of etcd's Prometheus endpoint ({@code /metrics}): what etcd itself counts of its clients' load, the
 * watch streams and watchers it holds now and the gRPC calls it has started since it started. From
 * {@link EtcdMember#metrics()}, or {@link #read(String)} for a plain-http {@code --listen-metrics-urls} URL.
 *
 * <pre>{@code
 * EtcdMetrics before = etcd.members().get(0).metrics();
 * ...
 * assertThat(after.started("etcdserverpb.KV", "Range")).isEqualTo(before.started("etcdserverpb.KV", "Range"));
 * assertThat(EtcdMetrics.watchesOf(etcd.members())).isEqualTo(new EtcdMetrics.Watches(1, 2));
 * }</pre>
 */
public final class EtcdMetrics {

    /** Watchers etcd holds now, a gauge. */
    public static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";

    /** Watch streams etcd holds now, a gauge. */
    public static final String WATCH_STREAMS = "etcd_debugging_mvcc_watch_stream_total";

    private static final HttpClient PLAIN_HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String url;

    private final String body;

    private EtcdMetrics(String url, String body) {
        this.url = url;
        this.body = body;
    }

    /** Reads {@code /metrics} of a plain-http etcd URL, e.g. {@code http://127.0.0.1:2381}. */
    public static EtcdMetrics read(String baseUrl) {
        return read(PLAIN_HTTP, baseUrl);
    }

    static EtcdMetrics read(HttpClient http, String baseUrl) {
        String url = baseUrl + "/metrics";
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
            return new EtcdMetrics(url, http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + url, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + url, ex);
        }
    }

    /** The watch streams and watchers of every member, added up; every member must be running. */
    public static Watches watchesOf(Collection<EtcdMember> members) {
        return members.stream().map((member) -> member.metrics().watches()).reduce(Watches.NONE, Watches::plus);
    }

    /** The value of an unlabelled metric, e.g. {@link #WATCHERS}. */
    public long value(String name) {
        return this.body.lines()
            .filter((line) -> line.startsWith(name + " "))
            .mapToLong(EtcdMetrics::valueOf)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(this.url + " has no metric " + name));
    }

    /**
     * Calls of one gRPC method that etcd started since it started ({@code grpc_server_started_total}), e.g.
     * {@code started("etcdserverpb.KV", "Range")}; 0 when none was started yet.
     */
    public long started(String service, String method) {
        String serviceLabel = "grpc_service=\"" + service + "\"";
        String methodLabel = "grpc_method=\"" + method + "\"";
        return this.body.lines()
            .filter((line) -> line.startsWith("grpc_server_started_total{") && line.contains(serviceLabel)
                    && line.contains(methodLabel))
            .mapToLong(EtcdMetrics::valueOf)
            .findFirst()
            .orElse(0);
    }

    /** The watch streams and watchers etcd holds now. */
    public Watches watches() {
        return new Watches(watchStreams(), watchers());
    }

    /** The watch streams etcd holds now ({@link #WATCH_STREAMS}). */
    public long watchStreams() {
        return value(WATCH_STREAMS);
    }

    /** The watchers etcd holds now, over every stream ({@link #WATCHERS}). */
    public long watchers() {
        return value(WATCHERS);
    }

    private static long valueOf(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Override
    public String toString() {
        return this.url + ": " + watches() + ", Range calls " + started("etcdserverpb.KV", "Range")
                + ", Watch calls " + started("etcdserverpb.Watch", "Watch");
    }

    /**
     * Watch streams and watchers held by etcd.
     * @param streams {@link #WATCH_STREAMS}
     * @param watchers {@link #WATCHERS}
     */
    public record Watches(long streams, long watchers) {

        /** No stream, no watcher. */
        public static final Watches NONE = new Watches(0, 0);

        /** These and {@code other} added up. */
        public Watches plus(Watches other) {
            return new Watches(this.streams + other.streams, this.watchers + other.watchers);
        }
    }
}
