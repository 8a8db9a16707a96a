package dev.monoscope.worker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.Main;
import dev.monoscope.worker.live.LiveClip;
import dev.monoscope.worker.live.LoopbackSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server mode as the pod runs it ({@code monoscope server}): a separate JVM configured only through its environment,
 * bound to {@code POD_IP} port 8080, stopped with SIGTERM. Secrets given in the environment never reach its output.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "pa55-SECRET-word";
    private static final String WEBHOOK_TOKEN = "T0KEN-in-the-webhook-url";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @Test
    void servesOnPodIpAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        try (LoopbackSender sender = LoopbackSender.http(LiveClip.get())) {
            sender.start();
            WorkerConfig config = new WorkerConfig();
            config.source.url = sender.url();
            config.decoder = "cpu";
            Path log = dir.resolve("worker.log");
            Process worker = null;
            String podIp = null;
            // a free loopback address: port 8080 is fixed by the contract, other processes may hold it elsewhere
            for (int attempt = 0; attempt < 5 && worker == null; attempt++) {
                podIp = "127.0.0." + ThreadLocalRandom.current().nextInt(100, 250);
                if (!free(podIp)) {
                    continue;
                }
                Process p = launch(
                        Map.of(
                                WorkerConfig.ENV_CONFIG,
                                JSON.writeValueAsString(config),
                                WorkerConfig.ENV_POD_IP,
                                podIp,
                                WorkerConfig.ENV_SOURCE_USERNAME,
                                "alice",
                                WorkerConfig.ENV_SOURCE_PASSWORD,
                                PASSWORD,
                                WorkerConfig.ENV_WEBHOOK_URL,
                                "http://127.0.0.1:9/hook?token=" + WEBHOOK_TOKEN),
                        log);
                if (awaitReady(p, "http://" + podIp + ":8080")) {
                    worker = p;
                }
            }
            assertThat(worker)
                    .as("the worker never became ready; its output:%n%s", Files.readString(log))
                    .isNotNull();
            String base = "http://" + podIp + ":8080";
            try {
                WorkerReport report =
                        JSON.readValue(get(base + "/api/v1/report").body(), WorkerReport.class);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!report.connected && System.nanoTime() < deadline) {
                    report = JSON.readValue(
                            get(base + "/api/v1/report?since=" + report.version + "&waitSeconds=20")
                                    .body(),
                            WorkerReport.class);
                }
                assertThat(report.connected)
                        .as("connected to the served stream")
                        .isTrue();
                assertThat(report.stream.videoCodec).isEqualTo("h264");
                assertThat(get(base + "/q/health/live").statusCode()).isEqualTo(200);
                assertThat(get(base + "/q/metrics").body()).contains("monoscope_stream_up 1.0");

                worker.destroy(); // SIGTERM, as the kubelet sends
                assertThat(worker.waitFor(20, TimeUnit.SECONDS))
                        .as("stopped after SIGTERM")
                        .isTrue();
                assertThat(worker.exitValue()).isIn(0, 143);
            } finally {
                worker.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(output).doesNotContain(PASSWORD, WEBHOOK_TOKEN);
        }
    }

    @Test
    void exitsWithTwoWithoutAConfiguration(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("worker.log");
        Process p = launch(Map.of(), log);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("MONOSCOPE_CONFIG is not set");
    }

    private static Process launch(Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(WorkerConfig.ENV_CONFIG);
        pb.environment().remove(WorkerConfig.ENV_POD_IP);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static boolean free(String address) {
        try (ServerSocket probe = new ServerSocket(8080, 1, InetAddress.getByName(address))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for readiness; false when the process exited first (its address was taken). */
    private boolean awaitReady(Process p, String base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try {
                if (get(base + "/q/health/ready").statusCode() == 200) {
                    return true;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        return false;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
