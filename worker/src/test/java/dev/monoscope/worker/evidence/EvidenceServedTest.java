package dev.monoscope.worker.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.live.LiveClip;
import dev.monoscope.worker.live.LoopbackSender;
import dev.monoscope.worker.server.ServerMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pod's process saves the evidence in its configured folder and serves it, by checked names only. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EvidenceServedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theWorkerServesTheClipOfADefectAndNothingOutsideTheFolder(@TempDir Path dir) throws Exception {
        try (LoopbackSender sender = LoopbackSender.http(LiveClip.get())) {
            sender.start();
            WorkerConfig config = new WorkerConfig();
            config.source.url = sender.url();
            config.decoder = "cpu";
            config.evidence = new WorkerConfig.EvidenceFolder();
            config.evidence.dir = dir.resolve("evidence").toString();
            config.evidence.maxBytes = 64L << 20;
            try (ServerMode mode = ServerMode.start(config, Map.of(), "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + mode.port() + "/api/v1/evidence/";
                Defect black = blackDefect("http://127.0.0.1:" + mode.port());
                assertThat(black.evidence).as("the report lists the evidence").isNotNull();
                assertThat(black.evidence.jpeg).endsWith(".jpg");

                HttpResponse<byte[]> jpeg = get(base + black.evidence.jpeg);
                assertThat(jpeg.statusCode()).isEqualTo(200);
                assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
                assertThat(jpeg.body()[0] & 0xFF).isEqualTo(0xFF);

                HttpResponse<byte[]> clip = get(base + black.evidence.clip);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (clip.statusCode() == 404 && System.nanoTime() < deadline) {
                    Thread.sleep(100); // written once the stream reaches the defect's start + 5 s
                    clip = get(base + black.evidence.clip);
                }
                assertThat(clip.statusCode()).isEqualTo(200);
                assertThat(clip.headers().firstValue("Content-Type")).hasValue("video/mp2t");
                assertThat(clip.body().length).isGreaterThan(188 * 100);
                assertThat(clip.body()[0]).as("an MPEG-TS sync byte").isEqualTo((byte) 0x47);
                assertThat(get(base + black.evidence.mp4).headers().firstValue("Content-Type"))
                        .hasValue("video/mp4");

                for (String bad : new String[] {
                    "..%2F..%2Fetc%2Fpasswd",
                    "%2e%2e/evidence/" + black.evidence.jpeg,
                    "../" + black.evidence.jpeg,
                    "0001-black-3.000.exe",
                    "",
                    "evidence"
                }) {
                    assertThat(get(base + bad).statusCode()).as(bad).isEqualTo(404);
                }
            }
        }
    }

    /** Follows the report until the black defect has ended. */
    private Defect blackDefect(String base) throws Exception {
        WorkerReport report = JSON.readValue(get(base + "/api/v1/report").body(), WorkerReport.class);
        while (true) {
            for (Defect d : report.recentDefects) {
                if ("black".equals(d.type)) {
                    return d;
                }
            }
            report = JSON.readValue(
                    get(base + "/api/v1/report?since=" + report.version + "&waitSeconds=20")
                            .body(),
                    WorkerReport.class);
        }
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
