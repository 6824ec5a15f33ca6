package dev.etcddiscovery.resolver.watch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * etcd's own count of watch streams and watchers, from its Prometheus endpoint ({@code /metrics} on a plain-http
 * client or metrics URL): {@code etcd_debugging_mvcc_watch_stream_total} and
 * {@code etcd_debugging_mvcc_watcher_total}, summed over the given members.
 */
record EtcdWatchCount(long streams, long watchers) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static EtcdWatchCount of(Iterable<String> metricsUrls) {
        long streams = 0;
        long watchers = 0;
        for (String url : metricsUrls) {
            String body = get(url);
            streams += gauge(body, "etcd_debugging_mvcc_watch_stream_total", url);
            watchers += gauge(body, "etcd_debugging_mvcc_watcher_total", url);
        }
        return new EtcdWatchCount(streams, watchers);
    }

    static EtcdWatchCount of(String metricsUrl) {
        return of(java.util.List.of(metricsUrl));
    }

    /** This count plus {@code streams} and {@code watchers}. */
    EtcdWatchCount plus(long streams, long watchers) {
        return new EtcdWatchCount(this.streams + streams, this.watchers + watchers);
    }

    private static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + url + "/metrics", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static long gauge(String body, String name, String url) {
        return body.lines()
            .filter((line) -> line.startsWith(name + " "))
            .mapToLong((line) -> (long) Double.parseDouble(line.substring(name.length() + 1).trim()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(url + "/metrics has no " + name));
    }
}
