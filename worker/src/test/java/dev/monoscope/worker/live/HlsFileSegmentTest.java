package dev.monoscope.worker.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.report.ReportState;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HLS playlist served over HTTP that points at local files must be refused: the protocol allow-list of an HTTP
 * source never includes {@code file}. The proof that nothing was read is a named pipe as the "segment": opening it
 * for reading would release the writer that waits on it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HlsFileSegmentTest {

    @Test
    void aPlaylistOverHttpPointingAtLocalFilesIsRefusedAndTheFileNeverOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("segment.ts");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .isTrue();
        AtomicBoolean opened = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) { // blocks until someone reads
                opened.set(true);
            } catch (Exception e) {
                // the test ends
            }
        });
        watcher.setDaemon(true);
        watcher.start();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String segment = path.contains("passwd")
                    ? "file:///etc/passwd"
                    : fifo.toUri().toString();
            byte[] body = ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                            + "#EXTINF:2.0,\n" + segment + "\n#EXTINF:2.0,\n" + segment + "\n#EXT-X-ENDLIST\n")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/vnd.apple.mpegurl");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            WorkerReport fifoReport = monitorOnce(base + "/pipe.m3u8");
            WorkerReport passwdReport = monitorOnce(base + "/passwd.m3u8");

            assertThat(opened)
                    .as("the local file named in the playlist was opened")
                    .isFalse();
            for (WorkerReport report : List.of(fifoReport, passwdReport)) {
                assertThat(report.connected).isFalse();
                assertThat(report.activeDefects)
                        .as("the report says which address was refused")
                        .anySatisfy(d -> assertThat(String.valueOf(d.details.get("reason")))
                                .contains("the protocol allow-list refused file://"));
                assertThat(report.activeDefects).extracting(d -> d.type).contains("signal_loss");
            }
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(stderr)
                    .as("a clear error on stderr")
                    .contains(
                            "cannot open " + base + "/passwd.m3u8: the protocol allow-list refused file:///etc/passwd")
                    .contains("cannot open " + base + "/pipe.m3u8: the protocol allow-list refused " + fifo.toUri());
            assertThat(stderr).doesNotContain("root:");
        } finally {
            System.setErr(originalErr);
            originalErr.print(err.toString(StandardCharsets.UTF_8));
            server.stop(0);
            new FileInputStream(fifo.toFile()).close(); // releases the watcher if nothing else did
        }
    }

    /** Runs a monitor until its first failed open has been reported, and returns the report. */
    private static WorkerReport monitorOnce(String url) throws Exception {
        ReportState state = new ReportState();
        try (LiveMonitor monitor = LiveMonitor.start(url, state, List.of())) {
            WorkerReport report = state.snapshot();
            while (report.activeDefects.isEmpty()) {
                report = state.awaitVersionAfter(report.version, 20_000);
            }
            return report;
        }
    }
}
