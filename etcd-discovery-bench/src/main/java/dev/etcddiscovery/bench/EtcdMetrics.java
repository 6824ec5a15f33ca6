package dev.etcddiscovery.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Metrics from etcd's Prometheus endpoint ({@code /metrics} on the client URL): etcd's own count of watches and
 * of the calls it started.
 */
final class EtcdMetrics {

    static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";

    static final String WATCH_STREAMS = "etcd_debugging_mvcc_watch_stream_total";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String body;

    private EtcdMetrics(String body) {
        this.body = body;
    }

    /** One reading of every metric. */
    static EtcdMetrics read(String endpoint) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build();
            return new EtcdMetrics(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + endpoint + "/metrics", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The value of an unlabelled metric, e.g. {@code etcd_debugging_mvcc_watcher_total}. */
    static long gauge(String endpoint, String name) {
        return read(endpoint).value(name);
    }

    long value(String name) {
        return this.body.lines()
            .filter((line) -> line.startsWith(name + " "))
            .mapToLong((line) -> (long) Double.parseDouble(line.substring(name.length() + 1).trim()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("etcd has no metric " + name));
    }

    /**
     * Calls of one gRPC method that etcd started since it started ({@code grpc_server_started_total}), e.g.
     * {@code started("etcdserverpb.KV", "Range")}; 0 when none was started yet.
     */
    long started(String service, String method) {
        String serviceLabel = "grpc_service=\"" + service + "\"";
        String methodLabel = "grpc_method=\"" + method + "\"";
        return this.body.lines()
            .filter((line) -> line.startsWith("grpc_server_started_total{") && line.contains(serviceLabel)
                    && line.contains(methodLabel))
            .mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElse(0);
    }
}
