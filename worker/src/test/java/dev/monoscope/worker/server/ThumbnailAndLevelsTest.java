package dev.monoscope.worker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.AudioLevel;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.live.LiveClip;
import dev.monoscope.worker.live.LoopbackSender;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's live thumbnail and audio levels, from a real stream decoded by the worker's process in-process: a small
 * JPEG of the latest picture made only when asked and at most every 2 s, a fast 404 with a reason when there is no
 * picture to show, and every audio track's peak and short-term loudness in the report.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThumbnailAndLevelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void servesTheLatestPictureSmallOnlyWhenAskedAndAtMostEveryTwoSeconds() throws Exception {
        try (LoopbackSender sender = LoopbackSender.http(LiveClip.get())) {
            sender.start();
            try (ServerMode mode = ServerMode.start(ServerModeTest.config(sender.url()), Map.of(), "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + mode.port();
                poll(base, r -> r.counters.getOrDefault("videoFrames", 0L) > 25);
                assertThat(metric(base, "monoscope_thumbnails_made_total"))
                        .as("nobody asked: no thumbnail was made")
                        .isZero();

                HttpResponse<byte[]> first = thumbnail(base);
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("Content-Type")).hasValue("image/jpeg");
                BufferedImage picture = ImageIO.read(new ByteArrayInputStream(first.body()));
                assertThat(picture.getWidth()).isEqualTo(320);
                assertThat(picture.getHeight()).isEqualTo(180);
                assertThat(Long.parseLong(first.headers()
                                .firstValue("X-Monoscope-Picture-Age-Ms")
                                .orElseThrow()))
                        .isBetween(0L, 2_000L);
                assertThat(first.headers().firstValue("Age")).isPresent();

                HttpResponse<byte[]> again = thumbnail(base);
                assertThat(again.body())
                        .as("asked again at once: the same thumbnail")
                        .isEqualTo(first.body());
                assertThat(metric(base, "monoscope_thumbnails_made_total")).isEqualTo(1);

                // the clip's picture moves: a later thumbnail shows another picture
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                HttpResponse<byte[]> later = first;
                while (Arrays.equals(later.body(), first.body()) && System.nanoTime() < deadline) {
                    Thread.sleep(250); // polling for the next thumbnail, made at most every 2 s
                    later = thumbnail(base);
                }
                assertThat(later.statusCode()).as(new String(later.body())).isEqualTo(200);
                assertThat(later.body()).isNotEqualTo(first.body());
                assertThat(metric(base, "monoscope_thumbnails_made_total")).isBetween(2.0, 6.0);
            }
        }
    }

    @Test
    void theReportHasEveryAudioTracksPeakAndShortTermLoudness() throws Exception {
        try (LoopbackSender sender = LoopbackSender.http(LiveClip.get())) {
            sender.start();
            try (ServerMode mode = ServerMode.start(ServerModeTest.config(sender.url()), Map.of(), "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + mode.port();
                WorkerReport report =
                        poll(base, r -> r.audioLevels != null && r.audioLevels.get(0).shortTermLufs != null);
                assertThat(report.audioLevels).hasSize(1);
                AudioLevel level = report.audioLevels.get(0);
                assertThat(level.track).isEqualTo(1);
                // FFmpeg's sine source at -18 dBFS, upmixed from mono to stereo at -3 dB: -21 dBFS in each channel
                assertThat(level.peakDbtp).isBetween(-22.0, -19.5);
                assertThat(level.shortTermLufs).isBetween(-25.0, -15.0);
            }
        }
    }

    @Test
    void inSignalLossItAnswersAtOnceWithAReason() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (ServerMode mode = ServerMode.start(
                ServerModeTest.config("http://127.0.0.1:" + closedPort + "/live.ts"), Map.of(), "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + mode.port();
            HttpResponse<byte[]> beforeAnyPicture = thumbnail(base);
            assertThat(beforeAnyPicture.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(beforeAnyPicture.body()).path("reason").asText())
                    .isIn("not_connected", "signal_loss");

            poll(base, r -> r.activeDefects.stream().anyMatch(d -> "signal_loss".equals(d.type)));
            long start = System.nanoTime();
            HttpResponse<byte[]> lost = thumbnail(base);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
            assertThat(lost.statusCode()).isEqualTo(404);
            assertThat(lost.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode reason = JSON.readTree(lost.body());
            assertThat(reason.path("reason").asText()).isEqualTo("signal_loss");
            assertThat(reason.path("message").asText()).startsWith("signal lost");
        }
    }

    private WorkerReport poll(String base, Predicate<WorkerReport> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            WorkerReport report = JSON.readValue(get(base + "/api/v1/report").body(), WorkerReport.class);
            if (condition.test(report) || System.nanoTime() > deadline) {
                assertThat(condition.test(report))
                        .as("the report shows it in time")
                        .isTrue();
                return report;
            }
            Thread.sleep(100); // counters and levels bump no version: polled, not long-polled
        }
    }

    private double metric(String base, String name) throws Exception {
        return new String(get(base + "/q/metrics").body())
                .lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst()
                .orElseThrow();
    }

    private HttpResponse<byte[]> thumbnail(String base) throws Exception {
        return get(base + "/api/v1/thumbnail.jpg");
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
