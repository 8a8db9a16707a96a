package dev.monoscope.worker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.live.LiveClip;
import dev.monoscope.worker.live.LoopbackSender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pod's process in-process: configuration from the environment, the report endpoint with long-poll, health,
 * metrics and webhook against a stream served on loopback, and a stream that never connects.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void reportsAServedStreamThroughEveryOutput() throws Exception {
        List<JsonNode> webhook = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        receiver.createContext("/hook", ex -> {
            webhook.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try (LoopbackSender sender = LoopbackSender.http(LiveClip.get())) {
            sender.start();
            WorkerConfig config = config(sender.url());
            config.stream = new WorkerConfig.StreamRef();
            config.stream.namespace = "news";
            config.stream.name = "channel-1";
            Map<String, String> env = Map.of(
                    WorkerConfig.ENV_WEBHOOK_URL,
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?token=T0P-SECRET");
            try (ServerMode mode = ServerMode.start(config, env, "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + mode.port();
                assertThat(get(base + "/q/health/ready").statusCode()).isEqualTo(200);

                WorkerReport report =
                        pollUntil(base, r -> r.recentDefects.stream().anyMatch(d -> "black".equals(d.type)));

                assertThat(report.connected).isTrue();
                assertThat(report.stream.videoCodec).isEqualTo("h264");
                assertThat(report.stream.width).isEqualTo(640);
                assertThat(report.stream.height).isEqualTo(360);
                assertThat(report.stream.audioCodec).isEqualTo("aac");
                assertThat(report.decoder.type).isEqualTo("cpu");
                assertThat(report.detectors).contains("black", "freeze", "silence", "corruption", "signalLoss");
                assertThat(report.counters.get("framesDecoded")).isPositive();
                Defect black = report.recentDefects.stream()
                        .filter(d -> "black".equals(d.type))
                        .findFirst()
                        .orElseThrow();
                assertThat(black.start).isBetween(LiveClip.BLACK_START - 0.1, LiveClip.BLACK_START + 0.1);
                assertThat(black.end).isBetween(LiveClip.BLACK_END - 0.1, LiveClip.BLACK_END + 0.1);
                assertThat(black.id).isEqualTo(1);
                assertThat(report.defectSeq).isGreaterThanOrEqualTo(1);

                String metrics = get(base + "/q/metrics").body();
                assertThat(metrics)
                        .contains(
                                "monoscope_stream_up 1.0",
                                "monoscope_defects_total{type=\"black\"} 1.0",
                                "monoscope_active_defects{type=\"black\"} 0.0",
                                "monoscope_webhook_dropped_total 0.0");
                assertThat(value(metrics, "monoscope_frames_decoded_total")).isPositive();
                assertThat(get(base + "/q/health/live").statusCode()).isEqualTo(200);

                for (int i = 0; i < 100 && webhook.size() < 2; i++) {
                    Thread.sleep(100);
                }
                assertThat(webhook)
                        .extracting(m -> m.path("event").asText() + ":"
                                + m.path("defect").path("type").asText())
                        .startsWith("defect_started:black", "defect_ended:black");
                JsonNode started = webhook.get(0);
                assertThat(started.path("instanceId").asText()).isEqualTo(report.instanceId);
                assertThat(started.path("stream").path("name").asText()).isEqualTo("channel-1");
                assertThat(started.path("stream").path("url").asText()).isEqualTo(sender.url());
                assertThat(started.path("defect").path("id").asLong()).isEqualTo(black.id);
            }
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aStreamThatNeverConnectsIsReported() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (ServerMode mode =
                ServerMode.start(config("http://127.0.0.1:" + closedPort + "/live.ts"), Map.of(), "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + mode.port();
            // ready as soon as the server is up, connected or not, so the operator reads the report
            assertThat(get(base + "/q/health/ready").statusCode()).isEqualTo(200);

            WorkerReport report =
                    pollUntil(base, r -> r.activeDefects.stream().anyMatch(d -> "signal_loss".equals(d.type)));

            assertThat(report.connected).isFalse();
            assertThat(report.activeDefects).extracting(d -> d.type).containsExactly("signal_loss");
            String metrics = get(base + "/q/metrics").body();
            assertThat(metrics)
                    .contains("monoscope_stream_up 0.0", "monoscope_active_defects{type=\"signal_loss\"} 1.0");
            assertThat(get(base + "/q/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnusableSourceIsAnErrorInTheReportAndThePodStaysUp() throws Exception {
        try (ServerMode mode = ServerMode.start(config("ftp://example.com/live.ts"), Map.of(), "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + mode.port();
            WorkerReport report = pollUntil(base, r -> r.error != null);
            assertThat(report.error).contains("ftp");
            assertThat(report.connected).isFalse();
            // restarting the container would not help: it stays live and keeps saying why
            Thread.sleep(300);
            assertThat(get(base + "/q/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theReportNamesThePodItRunsIn() throws Exception {
        Map<String, String> env = Map.of(WorkerConfig.ENV_POD_UID, "6a1f0c1e-pod-uid");
        try (ServerMode mode = ServerMode.start(config("udp://127.0.0.1:9"), env, "127.0.0.1", 0)) {
            String body =
                    get("http://127.0.0.1:" + mode.port() + "/api/v1/report").body();
            assertThat(body).contains("\"podUid\":\"6a1f0c1e-pod-uid\"");
        }
    }

    @Test
    void closingStopsServing() throws Exception {
        String base;
        try (ServerMode mode = ServerMode.start(config("udp://127.0.0.1:9"), Map.of(), "127.0.0.1", 0)) {
            base = "http://127.0.0.1:" + mode.port();
            assertThat(get(base + "/api/v1/report").statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> get(base + "/q/health/ready")).isInstanceOf(ConnectException.class);
    }

    @Test
    void aMissingOrBadConfigurationExitsWithTwoAndSaysWhy() {
        assertThat(runWith(Map.of())).startsWith("2:").contains("MONOSCOPE_CONFIG is not set");
        assertThat(runWith(Map.of(WorkerConfig.ENV_CONFIG, "{\"source\": {\"url\": ")))
                .startsWith("2:")
                .contains("MONOSCOPE_CONFIG is not a valid configuration");
        assertThat(runWith(Map.of(WorkerConfig.ENV_CONFIG, "{\"source\": {}}")))
                .startsWith("2:")
                .contains("MONOSCOPE_CONFIG has no source.url");
        assertThat(runWith(Map.of(
                        WorkerConfig.ENV_CONFIG,
                        "{\"source\": {\"url\": \"udp://127.0.0.1:9\"}}",
                        WorkerConfig.ENV_WEBHOOK_URL,
                        "not a url with SECRET")))
                .startsWith("2:")
                .contains("webhook URL")
                .doesNotContain("SECRET");
    }

    @Test
    void readsTheOperatorsConfigurationDocument() throws Exception {
        String json = "{\"source\":{\"url\":\"http://cdn.example/live.m3u8\",\"program\":2,\"audioTracks\":[1]},"
                + "\"detectors\":{\"black\":{\"enabled\":false}},\"decoder\":\"cpu\",\"shard\":{\"index\":1,\"count\":2},"
                + "\"stream\":{\"namespace\":\"news\",\"name\":\"ch1\"},\"webhook\":{\"queueCapacity\":5000},"
                + "\"aFieldFromANewerOperator\":true}";
        WorkerConfig config = ServerMode.readConfig(json);
        assertThat(config.source.url).isEqualTo("http://cdn.example/live.m3u8");
        assertThat(config.source.program).isEqualTo(2);
        assertThat(config.detectors.black.isEnabled()).isFalse();
        assertThat(config.shard.index).isEqualTo(1);
        assertThat(config.webhook.queueCapacity).isEqualTo(5000);
    }

    private static String runWith(Map<String, String> env) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServerMode.run(env, new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + ":" + err.toString(StandardCharsets.UTF_8);
    }

    static WorkerConfig config(String url) {
        WorkerConfig config = new WorkerConfig();
        config.source.url = url;
        config.decoder = "cpu";
        return config;
    }

    /** Follows the report by long-poll, as the operator does, until it shows what the test waits for. */
    private WorkerReport pollUntil(String base, Predicate<WorkerReport> condition) throws Exception {
        WorkerReport report = JSON.readValue(get(base + "/api/v1/report").body(), WorkerReport.class);
        while (!condition.test(report)) {
            long since = report.version;
            HttpResponse<String> response = get(base + "/api/v1/report?since=" + since + "&waitSeconds=20");
            assertThat(response.statusCode()).isEqualTo(200);
            report = JSON.readValue(response.body(), WorkerReport.class);
            assertThat(report.version)
                    .as("a long-poll answers when the version passes since")
                    .isGreaterThan(since);
        }
        return report;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static double value(String text, String metric) {
        return text.lines()
                .filter(l -> l.startsWith(metric + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(metric.length() + 1).trim()))
                .findFirst()
                .orElseThrow();
    }
}
