package dev.etcddiscovery.resolver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What etcd itself counts of its clients' load, read from its Prometheus endpoint ({@code /metrics} on the client
 * URL): Range and Watch calls started so far, and the watch streams and watchers it holds now.
 *
 * @param rangeCalls {@code grpc_server_started_total} of {@code etcdserverpb.KV/Range}
 * @param watchCalls {@code grpc_server_started_total} of {@code etcdserverpb.Watch/Watch} (one per watch stream)
 * @param watchStreams {@code etcd_debugging_mvcc_watch_stream_total}
 * @param watchers {@code etcd_debugging_mvcc_watcher_total}
 */
record EtcdMetrics(long rangeCalls, long watchCalls, long watchStreams, long watchers) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static EtcdMetrics read(String endpoint) {
        String body;
        try {
            body = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + endpoint + "/metrics", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return new EtcdMetrics(
                value(body, "grpc_server_started_total{grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\""),
                value(body, "grpc_server_started_total{grpc_method=\"Watch\",grpc_service=\"etcdserverpb.Watch\""),
                value(body, "etcd_debugging_mvcc_watch_stream_total "),
                value(body, "etcd_debugging_mvcc_watcher_total "));
    }

    private static long value(String body, String linePrefix) {
        return body.lines()
            .filter((line) -> line.startsWith(linePrefix))
            .mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("etcd reports no metric starting with " + linePrefix));
    }
}
