package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.cli.CliRun;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the worker reports about a source that fails is a category, whatever an origin or FFmpeg said (an origin's
 * error text can carry anything); the detail goes to the worker's log.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportedErrorsTest {

    @Test
    void failuresAreReportedAsCategories() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HostileOrigin origin = new HostileOrigin()) {
            origin.route("/forbidden.m3u8", (ex, o) -> ex.sendResponseHeaders(403, -1))
                    .route("/forbidden.ts", (ex, o) -> ex.sendResponseHeaders(403, -1));
            assertReported("http://127.0.0.1:" + closedPort + "/live.m3u8", "connection refused");
            assertReported("http://127.0.0.1:" + closedPort + "/live.ts", "connection refused");
            assertReported(origin.url("/missing.m3u8"), "not found");
            assertReported(origin.url("/missing.ts"), "not found");
            assertReported(origin.url("/forbidden.m3u8"), "forbidden");
            assertReported(origin.url("/forbidden.ts"), "forbidden");
        }
    }

    private static void assertReported(String url, String category) {
        CliRun run = CliRun.of("monitor", "--json", url);
        assertThat(run.summary().path("error").asText()).as(url).isEqualTo(category);
    }
}
