package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.Defect;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mosaic served by the operator: the page lists every StreamMonitor by namespace without the source's secrets,
 * the polled states turn to defect within seconds of the worker's defect, thumbnails and levels are proxied from the
 * worker pod, and a stream's page shows its conditions, workers, Events and the defect on its timeline.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosaicTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "monoscope.report.port")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void showsEveryStreamAndFollowsItsWorker() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker worker = new FakeWorker("127.0.3.21", port)) {
            StreamMonitor news = TestCluster.monitor("mosaic-news", "channel-1");
            news.getSpec().source.url = "https://viewer:hunter2@cdn.example/live/index.m3u8?token=SECRET-TOKEN";
            news.getMetadata().setLabels(Map.of("tier", "gold"));
            cluster.create(news);
            cluster.create(TestCluster.monitor("mosaic-sport", "arena"));
            Pod pod = cluster.awaitPods("mosaic-news", "channel-1", 1).get(0);
            cluster.running(pod, worker, true);
            worker.level(1, -9.5, -23.0);
            cluster.awaitCondition("mosaic-news", "channel-1", StreamMonitorStatus.HEALTHY, "True", "NoDefects");

            String page = get("").body();
            assertThat(page)
                    .contains("mosaic-news", "mosaic-sport", "channel-1", "arena", "tier=gold", "/mosaic/mosaic.js")
                    .doesNotContain("hunter2", "SECRET-TOKEN", "viewer");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> health("channel-1").equals("healthy"));

            HttpResponse<byte[]> thumbnail = bytes("mosaic/thumbnail/mosaic-news/channel-1");
            assertThat(thumbnail.statusCode()).isEqualTo(200);
            assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(thumbnail.headers().firstValue("X-Monoscope-Picture-Age-Ms"))
                    .hasValue("40");
            assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail.body())).getWidth())
                    .isEqualTo(320);
            HttpResponse<byte[]> none = bytes("mosaic/thumbnail/mosaic-sport/arena");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(none.body()).path("reason").asText()).isEqualTo("no_worker");

            JsonNode live =
                    JSON.readTree(get("mosaic/api/live/mosaic-news/channel-1").body());
            assertThat(live.path("connected").asBoolean()).isTrue();
            assertThat(live.path("audioLevels").get(0).path("shortTermLufs").asDouble())
                    .isEqualTo(-23.0);

            long started = System.nanoTime();
            Defect black = worker.start("black", null, "critical", 12.0);
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health("channel-1").equals("defect"));
            System.out.printf(
                    "mosaic: status showed the defect %d ms after the worker's defect_started%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(JSON.readTree(
                                    get("mosaic/api/live/mosaic-news/channel-1").body())
                            .path("activeDefects")
                            .toString())
                    .contains("black");
            await().atMost(TestCluster.WAIT)
                    .until(() -> !cluster.events("mosaic-news", "channel-1", "BlackVideo")
                            .isEmpty());

            worker.evidence(black, "0001-black-12.000.jpg", "0001-black-12.000.mp4");
            String evidencePage = "/mosaic/evidence/mosaic-news/channel-1/0001-black-12.000";
            await().atMost(TestCluster.WAIT)
                    .until(() -> get("streams/mosaic-news/channel-1").body().contains(evidencePage + ".mp4"));
            assertThat(new String(bytes(evidencePage.substring(1) + ".jpg").body(), StandardCharsets.UTF_8))
                    .isEqualTo("evidence 0001-black-12.000.jpg");
            assertThat(bytes("mosaic/evidence/mosaic-news/channel-1/..%2F..%2Fetc%2Fpasswd")
                            .statusCode())
                    .isEqualTo(404);

            String stream = get("streams/mosaic-news/channel-1").body();
            assertThat(stream)
                    .contains(
                            "Conditions",
                            "Healthy",
                            "BlackVideo",
                            pod.getMetadata().getName())
                    .contains("class=\"segment\"", "black from ")
                    .doesNotContain("hunter2", "SECRET-TOKEN");
            worker.end(black, 15.0);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> health("channel-1").equals("healthy"));
            assertThat(get("streams/mosaic-news/nothing").statusCode()).isEqualTo(404);
            assertThat(get("mosaic/mosaic.js").statusCode()).isEqualTo(200);
        }
    }

    private String health(String name) throws Exception {
        for (JsonNode tile : JSON.readTree(get("mosaic/api/tiles").body())) {
            if (name.equals(tile.path("name").asText())) {
                return tile.path("health").asText();
            }
        }
        return "absent";
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> bytes(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(root.toString() + path))
                .timeout(Duration.ofSeconds(10))
                .build();
    }
}
