package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.live.DefectLog;
import dev.monoscope.worker.live.DefectLog.Event;
import dev.monoscope.worker.live.LiveMonitor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Origins that stall or flood: a playlist or a segment whose headers come and then nothing, a playlist of 60 MB. The
 * signal is lost within the timeout plus a second, and stopping the monitor ends its run within 2 s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StalledOriginTest {

    /** The default signal-loss timeout (the playlists' target duration is 1 s, so it applies). */
    private static final double TIMEOUT_SECONDS = 3.0;

    @Test
    void aPlaylistThatStallsAfterItsHeadersLosesTheSignalInTimeAndStopEndsTheRun() throws Exception {
        try (HostileOrigin origin = new HostileOrigin()) {
            origin.route("/live.m3u8", HostileOrigin.stallingAfter("#EXTM3U\n"));
            DefectLog log = new DefectLog();
            long start = System.nanoTime();
            try (LiveMonitor monitor = LiveMonitor.start(origin.url("/live.m3u8"), log)) {
                Event lost = log.awaitStarted("signal_loss", 0, Duration.ofSeconds(15));
                assertLostInTime(lost, start);
                assertStopsWithinTwoSeconds(monitor);
            }
        }
    }

    @Test
    void aSegmentThatStallsMidStreamLosesTheSignalInTimeAndStopEndsTheRun() throws Exception {
        Path segment = HostileOrigin.segment();
        long opened = System.nanoTime();
        try (HostileOrigin origin = new HostileOrigin()) {
            // a live playlist that gains a 1 s segment every second, from three; the ninth stalls after its headers
            origin.route("/live.m3u8", (ex, o) -> {
                int count = 3 + (int) ((System.nanoTime() - opened) / 1_000_000_000L);
                String[] names = new String[Math.min(count, STALLING_SEGMENT + 1)];
                for (int i = 0; i < names.length; i++) {
                    names[i] = "s" + i + ".ts";
                }
                HostileOrigin.text(HostileOrigin.livePlaylist(names)).send(ex, o);
            });
            for (int i = 0; i < STALLING_SEGMENT; i++) {
                origin.route("/s" + i + ".ts", HostileOrigin.file(segment));
            }
            origin.route("/s" + STALLING_SEGMENT + ".ts", HostileOrigin.stallingAfter(""));
            DefectLog log = new DefectLog();
            try (LiveMonitor monitor = LiveMonitor.start(origin.url("/live.m3u8"), log)) {
                Event lost = log.awaitStarted("signal_loss", 0, Duration.ofSeconds(30));
                long stalled = origin.firstRequestNanos("/s" + STALLING_SEGMENT + ".ts");
                assertThat(stalled).as("the stalling segment was asked for").isPositive();
                assertThat(monitor.monitor().summary().videoFrames())
                        .as("pictures decoded before the stall")
                        .isGreaterThanOrEqualTo(50);
                assertLostInTime(lost, stalled);
                assertStopsWithinTwoSeconds(monitor);
            }
        }
    }

    /** The segment that stalls: well after the monitor opened the stream (probing reads about 5 s). */
    private static final int STALLING_SEGMENT = 8;

    @Test
    void aPlaylistOverTheLimitIsRefusedWithoutReadingItAll() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (HostileOrigin origin = new HostileOrigin()) {
            origin.route("/huge.m3u8", (ex, o) -> {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                byte[] head = HostileOrigin.livePlaylist().getBytes(StandardCharsets.UTF_8);
                out.write(head);
                byte[] entry = "#EXTINF:1.0,\nhttp://127.0.0.1:1/segment-with-a-long-name-0000000000.ts\n"
                        .getBytes(StandardCharsets.UTF_8);
                for (long n = head.length; n < 60_000_000L; n += entry.length) {
                    out.write(entry);
                    sent.addAndGet(entry.length);
                }
            });
            DefectLog log = new DefectLog();
            try (LiveMonitor monitor = LiveMonitor.start(origin.url("/huge.m3u8"), log)) {
                Event lost = log.awaitStarted("signal_loss", 0, Duration.ofSeconds(20));
                assertThat(String.valueOf(lost.defect().details.get("reason")))
                        .as("the reason names the limit")
                        .contains("larger than the limit of 4 MiB");
                assertStopsWithinTwoSeconds(monitor);
            }
            assertThat(sent.get())
                    .as("bytes the origin got out before the worker hung up")
                    .isLessThan(16L << 20);
        }
    }

    @Test
    void aReloadedPlaylistOverTheLimitIsCutShort() throws Exception {
        Path segment = HostileOrigin.segment();
        AtomicLong largestSent = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        try (HostileOrigin origin = new HostileOrigin()) {
            // small for the worker's own reads (its user agent) and FFmpeg's first, then 60 MB each time FFmpeg
            // reloads it
            AtomicLong ffmpegRequests = new AtomicLong();
            origin.route("/live.m3u8", (ex, o) -> {
                requests.incrementAndGet();
                boolean worker = "monoscope".equals(ex.getRequestHeaders().getFirst("User-Agent"));
                if (worker || ffmpegRequests.incrementAndGet() <= 1) {
                    HostileOrigin.text(HostileOrigin.livePlaylist("s0.ts", "s1.ts", "s2.ts"))
                            .send(ex, o);
                    return;
                }
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(HostileOrigin.livePlaylist("s0.ts", "s1.ts", "s2.ts").getBytes(StandardCharsets.UTF_8));
                byte[] entry = "#EXTINF:1.0,\ns0.ts\n".getBytes(StandardCharsets.UTF_8);
                long sent = 0;
                try {
                    for (; sent < 60_000_000L; sent += entry.length) {
                        out.write(entry);
                    }
                } finally {
                    largestSent.accumulateAndGet(sent, Math::max);
                }
            });
            for (int i = 0; i < 3; i++) {
                origin.route("/s" + i + ".ts", HostileOrigin.file(segment));
            }
            DefectLog log = new DefectLog();
            try (LiveMonitor monitor = LiveMonitor.start(origin.url("/live.m3u8"), log)) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (requests.get() < 4 && System.nanoTime() < end) {
                    Thread.sleep(50); // the poll interval, not a condition
                }
                assertThat(requests.get()).as("reloads").isGreaterThanOrEqualTo(4);
                assertStopsWithinTwoSeconds(monitor);
            }
            assertThat(largestSent.get())
                    .as("bytes of one reload the origin got out before the worker hung up")
                    .isLessThan(16L << 20);
        }
    }

    private static void assertLostInTime(Event lost, long since) {
        double after = (lost.nanos() - since) / 1e9;
        assertThat(after)
                .as("signal_loss raised %.2f s after the stall began", after)
                .isLessThanOrEqualTo(TIMEOUT_SECONDS + 1);
    }

    private static void assertStopsWithinTwoSeconds(LiveMonitor monitor) throws InterruptedException {
        long asked = System.nanoTime();
        monitor.monitor().stop();
        boolean ended = monitor.awaitEnded(2_000);
        assertThat(ended)
                .as("the run ended %.2f s after stop()", (System.nanoTime() - asked) / 1e9)
                .isTrue();
    }
}
