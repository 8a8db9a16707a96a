package dev.monoscope.worker.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that try to exhaust the report server: slowloris (request headers a byte at a time, for ever) and many
 * idle connections. Their connections are closed at the header deadline, and probes are answered meanwhile.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportServerAbuseTest {

    private static final long DEADLINE_MILLIS = 1_000;

    private final ReportState state = new ReportState();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ReportServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ReportServer(state, null, () -> "", () -> true, "127.0.0.1", 0, DEADLINE_MILLIS).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void slowHeadersAreCutAtTheDeadlineAndProbesAreAnsweredMeanwhile() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try {
            // more slow clients than the server has threads, plus idle ones that send nothing at all
            for (int i = 0; i < ReportServer.THREADS + 8; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(20);
                s.getOutputStream().write("G".getBytes(StandardCharsets.US_ASCII));
                clients.add(s);
            }
            for (int i = 0; i < 50; i++) {
                clients.add(new Socket("127.0.0.1", server.port()));
            }
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(8);
            int closedCount = 0;
            boolean probed = false;
            while (System.nanoTime() < deadline && closedCount < ReportServer.THREADS + 8) {
                closedCount = 0;
                for (Socket s : clients.subList(0, ReportServer.THREADS + 8)) {
                    if (drip(s)) {
                        closedCount++;
                    }
                }
                if (!probed && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS)) {
                    HttpResponse<String> live = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/q/health/live"))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(live.statusCode()).isEqualTo(200);
                    probed = true;
                }
            }
            double took = (System.nanoTime() - start) / 1e9;
            assertThat(closedCount)
                    .as("slow clients cut off within %.1f s", took)
                    .isEqualTo(ReportServer.THREADS + 8);
            assertThat(took).isLessThan(DEADLINE_MILLIS / 1000.0 + 2);
            assertThat(probed).isTrue();
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    /** Sends one more header byte; true when the server has closed the connection. */
    private static boolean drip(Socket s) {
        try {
            if (s.isClosed()) {
                return true;
            }
            OutputStream out = s.getOutputStream();
            out.write('E');
            out.flush();
            InputStream in = s.getInputStream();
            try {
                if (in.read() < 0) {
                    s.close();
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false; // still open
            }
            return false;
        } catch (Exception e) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing anyway
            }
            return true;
        }
    }
}
