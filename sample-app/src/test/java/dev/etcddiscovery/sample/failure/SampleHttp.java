package dev.etcddiscovery.sample.failure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP calls to a sample server's web port on loopback. */
final class SampleHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(int port, String path) throws Exception {
        return this.http.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int port, String path, String json) throws Exception {
        return this.http.send(request(port, path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code json} and asserts the answer is 200; returns its body. */
    String postExpectingOk(int port, String path, String json) throws Exception {
        HttpResponse<String> response = post(port, path, json);
        assertThat(response.statusCode()).as("POST %s %s: %s", path, json, response.body()).isEqualTo(200);
        return response.body();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
    }
}
