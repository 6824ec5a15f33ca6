package dev.etcddiscovery.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Gauges from etcd's Prometheus endpoint ({@code /metrics} on the client URL): etcd's own count of watches. */
final class EtcdMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EtcdMetrics() {
    }

    /** The value of an unlabelled metric, e.g. {@code etcd_debugging_mvcc_watcher_total}. */
    static long gauge(String endpoint, String name) {
        String body;
        try {
            body = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + endpoint + "/metrics", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return body.lines()
            .filter((line) -> line.startsWith(name + " "))
            .mapToLong((line) -> (long) Double.parseDouble(line.substring(name.length() + 1).trim()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("etcd has no metric " + name));
    }
}
