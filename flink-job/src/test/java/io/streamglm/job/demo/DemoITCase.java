package io.streamglm.job.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo end to end: embedded broker, MiniCluster job, producer and consumer; it ends by itself after
 * --max-events with the last window refitted, its page serves the charts and their data, and nothing is left
 * running. (deploy/screenshot-demo.sh takes a headless Chromium screenshot of the same page.)
 */
class DemoITCase {
    @Test
    void runsToTheEndAndServesTheCharts() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        int windows = 3;
        DemoRunner demo = new DemoRunner((long) windows * DemoScenario.PER_HOUR, 50_000, out);
        String url;
        try {
            url = demo.start(0);
            HttpClient http = HttpClient.newHttpClient();
            String page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("<svg", "data.json", "confidence band");
            assertThat(demo.awaitEnd()).isZero();
            JsonNode data = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url + "data.json"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(data.get("refits")).hasSize(windows);
            assertThat(data.get("done").asBoolean()).isTrue();
            for (JsonNode r : data.get("refits")) {
                assertThat(r.get("rows").asLong()).isEqualTo(DemoScenario.PER_HOUR);
                assertThat(r.get("coef").get("region[T.West]")).hasSize(2);
            }
            // The drift is visible: West's estimate moves towards its new truth.
            double first = data.get("refits").get(0).get("coef").get("region[T.West]").get(0).asDouble();
            double last = data.get("refits").get(windows - 1).get("coef").get("region[T.West]").get(0).asDouble();
            assertThat(last).isGreaterThan(first);
        } finally {
            demo.close();
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("coefficient", "truth", "std.error", "demo finished");
        HttpClient http = HttpClient.newHttpClient();
        String stopped = url;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(stopped))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }
}
