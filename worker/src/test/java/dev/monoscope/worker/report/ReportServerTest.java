package dev.monoscope.worker.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReportState state = new ReportState();
    private final WorkerMetrics metrics = new WorkerMetrics(state);
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ReportServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ReportServer(state, metrics::scrape, alive::get, "127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesTheCurrentReport() throws Exception {
        state.change(r -> {
            r.connected = true;
            Defect d = new Defect();
            d.id = 1L;
            d.type = "black";
            d.start = 10.021;
            r.activeDefects.add(d);
            r.defectSeq = 1;
        });
        state.counters(r -> r.counters.put("framesDecoded", 250L));

        HttpResponse<String> response = get("/api/v1/report");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        WorkerReport report = JSON.readValue(response.body(), WorkerReport.class);
        assertThat(report.instanceId).isEqualTo(state.instanceId());
        assertThat(report.version).isEqualTo(1);
        assertThat(report.connected).isTrue();
        assertThat(report.activeDefects).singleElement().satisfies(d -> {
            assertThat(d.type).isEqualTo("black");
            assertThat(d.start).isEqualTo(10.021);
        });
        assertThat(report.counters).containsEntry("framesDecoded", 250L);
    }

    @Test
    void longPollAnswersAsSoonAsTheVersionPassesSince() throws Exception {
        long since = state.version();
        CompletableFuture<HttpResponse<String>> poll = getAsync("/api/v1/report?since=" + since + "&waitSeconds=25");
        Thread.sleep(300);
        assertThat(poll).isNotDone();

        state.counters(r -> r.counters.put("framesDecoded", 1L)); // counters alone must not wake it
        Thread.sleep(300);
        assertThat(poll).isNotDone();

        state.change(r -> r.connected = true);
        HttpResponse<String> response = poll.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        WorkerReport report = JSON.readValue(response.body(), WorkerReport.class);
        assertThat(report.version).isEqualTo(since + 1);
        assertThat(report.connected).isTrue();
    }

    @Test
    void longPollWithNoChangeAnswersWithTheCurrentReportAfterTheWait() throws Exception {
        state.change(r -> r.connected = true);
        HttpResponse<String> response = get("/api/v1/report?since=1&waitSeconds=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(response.body(), WorkerReport.class).version).isEqualTo(1);
    }

    @Test
    void sinceBelowTheVersionAnswersAtOnce() throws Exception {
        state.change(r -> r.connected = true);
        state.change(r -> r.connected = false);
        // a wait this long would trip the test timeout if the server waited
        HttpResponse<String> response = get("/api/v1/report?since=1&waitSeconds=60");
        assertThat(JSON.readValue(response.body(), WorkerReport.class).version).isEqualTo(2);
    }

    @Test
    void waitingLongPollsDoNotHoldUpProbesOrScrapes() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            polls.add(getAsync("/api/v1/report?since=" + state.version() + "&waitSeconds=20"));
        }
        Thread.sleep(300);
        assertThat(get("/q/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/q/metrics").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/report").statusCode()).isEqualTo(200);

        state.change(r -> r.connected = true);
        int woken = 0;
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            HttpResponse<String> response = poll.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            if (JSON.readValue(response.body(), WorkerReport.class).version == 1) {
                woken++;
            }
        }
        // past the cap on waiting polls the rest were answered at once with the report as it was
        assertThat(woken).isGreaterThanOrEqualTo(ReportServer.MAX_WAITING_POLLS);
    }

    @Test
    void livenessFollowsThePipeline() throws Exception {
        assertThat(get("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/q/health/live").body()).contains("\"UP\"");
        alive.set(false);
        assertThat(get("/q/health/live").statusCode()).isEqualTo(503);
        assertThat(get("/q/health/live").body()).contains("\"DOWN\"");
        // readiness is about the report server only: still ready, so the operator keeps reading the report
        assertThat(get("/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void servesPrometheusText() throws Exception {
        state.counters(r -> r.counters.put("framesDecoded", 1234L));
        HttpResponse<String> response = get("/q/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(response.body()).contains("monoscope_frames_decoded_total 1234.0");
    }

    @Test
    void rejectsBadRequests() throws Exception {
        assertThat(get("/api/v1/report?since=abc").statusCode()).isEqualTo(400);
        assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/reports").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(uri("/api/v1/report"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(28))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
