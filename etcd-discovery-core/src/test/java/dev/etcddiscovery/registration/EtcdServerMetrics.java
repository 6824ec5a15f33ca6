package dev.etcddiscovery.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.etcddiscovery.test.EtcdMember;

/**
 * etcd's own Prometheus counters ({@code /metrics} on the client URL): what a client leaves live on the server,
 * whatever the client believes it closed.
 */
final class EtcdServerMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final EtcdMember member;

    EtcdServerMetrics(EtcdMember member) {
        this.member = member;
    }

    /** Watchers etcd keeps, over every watch stream. */
    long watchers() {
        return value("etcd_debugging_mvcc_watcher_total", "");
    }

    /** Watch streams (gRPC Watch calls) etcd keeps open. */
    long watchStreams() {
        return value("etcd_debugging_mvcc_watch_stream_total", "");
    }

    /** Watch streams ever opened: each jetcd watch (and each of its resumptions) opens one. */
    long watchCallsStarted() {
        return value("grpc_server_started_total", "{grpc_method=\"Watch\",");
    }

    private long value(String name, String labelsStart) {
        String text = scrape();
        Matcher matcher = Pattern
            .compile("^" + Pattern.quote(name + labelsStart) + "[^\\s]*\\s+(\\S+)$", Pattern.MULTILINE)
            .matcher(text);
        long sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += (long) Double.parseDouble(matcher.group(1));
            found = true;
        }
        if (!found && labelsStart.isEmpty()) {
            throw new IllegalStateException("etcd /metrics has no " + name);
        }
        return sum;
    }

    private String scrape() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(this.member.endpoint() + "/metrics"))
            .timeout(Duration.ofSeconds(5))
            .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + request.uri(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
