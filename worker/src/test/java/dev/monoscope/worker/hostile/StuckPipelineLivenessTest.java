package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.worker.server.ServerMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Liveness follows the pipeline loop, not just its thread: with a stall limit of 1 s, a loop held 3 s by an origin
 * that stalls its response (the open's read deadline is the signal timeout) fails liveness, and it is live again once
 * the loop moves on (a backoff wait counts as moving).
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class StuckPipelineLivenessTest {

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void livenessFailsWhileThePipelineLoopStandsStillAndRecoversWhenItMoves() throws Exception {
        try (HostileOrigin origin = new HostileOrigin()) {
            origin.route("/stream.ts", HostileOrigin.stallingAfter(""));
            WorkerConfig config = new WorkerConfig();
            config.source.url = origin.url("/stream.ts");
            config.decoder = "cpu";
            Map<String, String> env = Map.of("MONOSCOPE_LIVENESS_STALL_SECONDS", "1");
            try (ServerMode mode = ServerMode.start(config, env, "127.0.0.1", 0)) {
                String live = "http://127.0.0.1:" + mode.port() + "/q/health/live";
                assertThat(awaitStatus(live, 503, Duration.ofSeconds(10)))
                        .as("liveness failed while the loop stood still")
                        .isTrue();
                assertThat(awaitStatus(live, 200, Duration.ofSeconds(10)))
                        .as("live again once the loop moved on")
                        .isTrue();
            }
        }
    }

    private boolean awaitStatus(String url, int status, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == status) {
                return true;
            }
            Thread.sleep(100); // the poll interval, not a condition
        }
        return false;
    }
}
