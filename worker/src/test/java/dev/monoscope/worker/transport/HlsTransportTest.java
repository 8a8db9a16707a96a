package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.live.DefectLog;
import dev.monoscope.worker.live.LiveMonitor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HLS through the transport analyser, per segment: the generated 6 s stream of {@link TransportStreamTest}, cut in
 * Java into 1 s segments (each starting at a PAT) served over HTTP on loopback, damaged at known places. Packets
 * dropped on the video PID at {@value #DROPS} places give exactly that many continuity errors on that PID, whether the
 * segments' continuity counters follow on from segment to segment or restart in each (a packager's choice: a segment
 * boundary is not an error); the clean stream gives none; a segment without a PAT gives one PAT error (for HLS the
 * PAT and PMT checks are per segment: each segment must carry them, see {@link TsAnalyzer#segmentStarted()}).
 * Through the command line (a finished playlist) and live (a playlist that grows in real time, through the monitor).
 */
public class HlsTransportTest {

    private static final int DROPS = 3;
    private static final int VIDEO_PID = 0x100;
    private static final int TS = TsAnalyzer.PACKET_SIZE;

    /** The base stream as 1 s segments: byte offsets of their starts, a PAT at each, and the end. */
    public static int[] cuts(byte[] ts) {
        List<Integer> cuts = new ArrayList<>(List.of(0));
        double first = Double.NaN;
        double now = Double.NaN;
        int next = 1;
        for (int i = 0; i + TS <= ts.length; i += TS) {
            if ((ts[i + 3] & 0x20) != 0 && (ts[i + 4] & 0xFF) >= 7 && (ts[i + 5] & 0x10) != 0) {
                now = pcrSeconds(ts, i);
                if (Double.isNaN(first)) {
                    first = now;
                }
            }
            if (pid(ts, i) == 0 && now - first >= next) {
                cuts.add(i);
                next++;
            }
        }
        cuts.add(ts.length - ts.length % TS);
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The segments of a stream, cut where {@link #cuts} says. */
    public static List<byte[]> segments(byte[] ts, int[] cuts) {
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k + 1 < cuts.length; k++) {
            out.add(Arrays.copyOfRange(ts, cuts[k], cuts[k + 1]));
        }
        return out;
    }

    /**
     * The base stream without a video packet (payload only: no PCR, no PES start) in the middle of segments 1, 2 and
     * 4, then cut into segments.
     */
    private static List<byte[]> withDrops(byte[] ts, int[] cuts) {
        Set<Integer> drop = new HashSet<>();
        for (int k : new int[] {1, 2, 4}) {
            int middle = (cuts[k] + cuts[k + 1]) / 2 / TS * TS;
            for (int i = middle; i < cuts[k + 1]; i += TS) {
                if (pid(ts, i) == VIDEO_PID && (ts[i + 3] & 0x30) == 0x10 && (ts[i + 1] & 0x40) == 0) {
                    drop.add(i);
                    break;
                }
            }
        }
        assertThat(drop).hasSize(DROPS);
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k + 1 < cuts.length; k++) {
            ByteArrayOutputStream seg = new ByteArrayOutputStream();
            for (int i = cuts[k]; i < cuts[k + 1]; i += TS) {
                if (!drop.contains(i)) {
                    seg.write(ts, i, TS);
                }
            }
            out.add(seg.toByteArray());
        }
        return out;
    }

    /** Each segment's continuity counters renumbered to start at 0 on every PID, as some packagers do. */
    private static List<byte[]> restartingCounters(List<byte[]> segments) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] s : segments) {
            byte[] seg = s.clone();
            int[] shift = new int[8192];
            Arrays.fill(shift, -1);
            for (int i = 0; i + TS <= seg.length; i += TS) {
                int pid = pid(seg, i);
                int cc = seg[i + 3] & 0x0F;
                if (shift[pid] < 0) {
                    shift[pid] = cc;
                }
                seg[i + 3] = (byte) ((seg[i + 3] & 0xF0) | ((cc - shift[pid]) & 0x0F));
            }
            out.add(seg);
        }
        return out;
    }

    /** Segment 3 without its PATs (the next PATs' counters renumbered): over 1 s of stream without one. */
    private static List<byte[]> withoutPatInSegment3(List<byte[]> segments) {
        List<byte[]> out = new ArrayList<>();
        int cc = -1;
        for (int k = 0; k < segments.size(); k++) {
            byte[] seg = segments.get(k);
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            for (int i = 0; i + TS <= seg.length; i += TS) {
                if (pid(seg, i) == 0) {
                    if (k == 3) {
                        continue;
                    }
                    cc = cc < 0 ? seg[i + 3] & 0x0F : (cc + 1) & 0x0F;
                    seg[i + 3] = (byte) ((seg[i + 3] & 0xF0) | cc);
                }
                kept.write(seg, i, TS);
            }
            out.add(kept.toByteArray());
        }
        return out;
    }

    private static byte[] base() throws IOException {
        return Files.readAllBytes(TransportStreamTest.base());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void droppedPacketsInHlsSegmentsGiveExactlyThatManyContinuityErrors() throws IOException {
        byte[] ts = base();
        List<byte[]> segments = withDrops(ts, cuts(ts));
        CliRun run = monitor(segments);

        assertContinuityErrorsOnVideo(run, segments, DROPS);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void countersRestartingInEachSegmentAreNoErrorButDropsStillAre() throws IOException {
        byte[] ts = base();
        List<byte[]> segments = restartingCounters(withDrops(ts, cuts(ts)));
        CliRun run = monitor(segments);

        assertContinuityErrorsOnVideo(run, segments, DROPS);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cleanHlsSegmentsRaiseNoTransportDefect() throws IOException {
        byte[] ts = base();
        List<byte[]> segments = segments(ts, cuts(ts));
        CliRun run = monitor(segments);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(TransportCliTest.transportDefects(run)).as(run.stdout()).isEmpty();
        JsonNode transport = run.summary().path("transport");
        assertThat(transport.path("packets").asLong())
                .as("every packet of every segment analysed")
                .isEqualTo(packets(segments));
        assertThat(transport.path("errors").size()).as(transport.toString()).isZero();
        assertThat(corruption(run)).as(run.stdout()).isEmpty();
    }

    /** FFmpeg's demuxer marks the packets at each boundary of such segments, but nothing was lost: no corruption. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cleanSegmentsWithRestartingCountersRaiseNothing() throws IOException {
        byte[] ts = base();
        CliRun run = monitor(restartingCounters(segments(ts, cuts(ts))));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.ended()).as(run.stdout()).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSegmentWithoutPatIsAPatError() throws IOException {
        byte[] ts = base();
        List<byte[]> segments = withoutPatInSegment3(segments(ts, cuts(ts)));
        CliRun run = monitor(segments);

        List<JsonNode> transport = TransportCliTest.transportDefects(run);
        assertThat(transport)
                .extracting(d -> d.path("subtype").asText())
                .as(run.stdout())
                .isNotEmpty()
                .containsOnly("pat_error");
        assertThat(transport)
                .allSatisfy(
                        d -> assertThat(d.path("details").path("pid").asInt()).isZero());
        JsonNode errors = run.summary().path("transport").path("errors");
        assertThat(errors.size()).as(errors.toString()).isEqualTo(1);
        assertThat(errors.path("pat_error").asLong())
                .as("one segment without PAT, one error")
                .isEqualTo(1);
    }

    /**
     * A segment missing from the sequence (it left a live playlist before it was fetched): the next one follows on
     * neither in continuity counters nor in PCR, which is no error; without the segment boundary it would be.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSkippedSegmentIsNoTransportError() throws IOException {
        byte[] ts = base();
        List<byte[]> segments = new ArrayList<>(segments(ts, cuts(ts)));
        segments.remove(2);

        TsAnalyzer bySegment = new TsAnalyzer();
        TsAnalyzer asOneStream = new TsAnalyzer();
        for (byte[] seg : segments) {
            bySegment.segmentStarted();
            bySegment.feed(seg, 0, seg.length);
            asOneStream.feed(seg, 0, seg.length);
        }
        bySegment.segmentEnded();

        assertThat(bySegment.summary().get("errors")).isEqualTo(Map.of());
        assertThat(bySegment.counters().packets(VIDEO_PID)).isEqualTo(packets(segments) - packetsOfOtherPids(segments));
        assertThat(asOneStream.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR))
                .isPositive();
        assertThat(asOneStream.counters().errors(TsCheck.PCR_DISCONTINUITY_INDICATOR_ERROR))
                .isPositive();
    }

    private static long packetsOfOtherPids(List<byte[]> segments) {
        long n = 0;
        for (byte[] seg : segments) {
            for (int i = 0; i + TS <= seg.length; i += TS) {
                if (pid(seg, i) != VIDEO_PID) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A master playlist with two variants (the first damaged, the second clean): FFmpeg fetches both while probing,
     * the monitor then watches the first; the analyser follows the first variant's segments only.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withTwoVariantsTheAnalyserFollowsTheWatchedOne() throws IOException {
        byte[] ts = base();
        int[] cuts = cuts(ts);
        List<byte[]> damaged = withDrops(ts, cuts);
        CliRun run;
        try (Server server = new Server(true, List.of(damaged, segments(ts, cuts)))) {
            run = CliRun.of("monitor", "--json", server.url());
            assertThat(server.requests.get(1))
                    .as("segments of the second variant fetched")
                    .isPositive();
        }

        assertContinuityErrorsOnVideo(run, damaged, DROPS);
    }

    /** Live: the playlist lists one more segment every second (a window of 6), as a packager on air does. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void liveHlsWithDroppedPacketsGivesExactlyThatManyContinuityErrors() throws Exception {
        byte[] ts = base();
        List<byte[]> segments = withDrops(ts, cuts(ts));
        long total = packets(segments);
        try (Server server = new Server(segments, false)) {
            DefectLog log = new DefectLog();
            Map<String, Object> summary = null;
            try (LiveMonitor live = LiveMonitor.start(server.url(), log)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    summary = live.monitor().summary().transport();
                    if (summary != null && ((Number) summary.get("packets")).longValue() >= total) {
                        break;
                    }
                    Thread.sleep(100);
                }
                Thread.sleep(500); // the pictures catch up with what the analyser found
            }
            assertThat(summary).isNotNull();
            assertThat(((Number) summary.get("packets")).longValue())
                    .as("every packet of every segment analysed")
                    .isEqualTo(total);
            assertThat((Map<?, ?>) summary.get("errors"))
                    .as(summary.toString())
                    .isEqualTo(Map.of("continuity_count_error", (long) DROPS));
            assertThat(log.events())
                    .filteredOn(e -> e.type().equals("transport"))
                    .as(log.describe())
                    .isNotEmpty()
                    .allSatisfy(e -> {
                        assertThat(e.defect().subtype).isEqualTo("continuity_count_error");
                        assertThat(e.defect().details.get("pid")).isEqualTo(VIDEO_PID);
                    });
        }
    }

    private static void assertContinuityErrorsOnVideo(CliRun run, List<byte[]> segments, int n) {
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> transport = TransportCliTest.transportDefects(run);
        assertThat(transport).as(run.stdout()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.path("subtype").asText()).isEqualTo("continuity_count_error");
            assertThat(d.path("details").path("pid").asInt()).isEqualTo(VIDEO_PID);
            assertThat(d.path("details").has("count"))
                    .as("no count that would always be 1")
                    .isFalse();
        });
        JsonNode summary = run.summary().path("transport");
        assertThat(summary.path("packets").asLong())
                .as("every packet of every segment analysed")
                .isEqualTo(packets(segments));
        assertThat(summary.path("errors").path("continuity_count_error").asLong())
                .as(summary.toString())
                .isEqualTo(n);
        assertThat(summary.path("errors").size())
                .as("no other error: %s", summary)
                .isEqualTo(1);
        assertThat(summary.path("pids")
                        .path(Integer.toString(VIDEO_PID))
                        .path("discontinuities")
                        .asLong())
                .isEqualTo(n);
        // the pictures that lost data are corruption, and lost data is named as the cause
        assertThat(corruption(run))
                .as(run.stdout())
                .isNotEmpty()
                .allSatisfy(d ->
                        assertThat(d.path("details").path("source").asText()).isEqualTo("transport"));
    }

    private static List<JsonNode> corruption(CliRun run) {
        return run.ended().stream()
                .filter(e -> e.path("type").asText().equals("corruption"))
                .toList();
    }

    /** Runs the command line on the segments served as a finished playlist. */
    private static CliRun monitor(List<byte[]> segments) throws IOException {
        try (Server server = new Server(segments, true)) {
            return CliRun.of("monitor", "--json", server.url());
        }
    }

    private static long packets(List<byte[]> segments) {
        return segments.stream().mapToLong(s -> s.length / TS).sum();
    }

    private static double pcrSeconds(byte[] ts, int i) {
        long base = 0;
        for (int k = 6; k < 10; k++) {
            base = (base << 8) | (ts[i + k] & 0xFF);
        }
        return ((base << 1) | ((ts[i + 10] & 0xFF) >> 7)) / 90_000.0;
    }

    private static int pid(byte[] ts, int i) {
        return ((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF);
    }

    /**
     * Serves the segments on loopback: a finished playlist listing them all, or a live one that starts with the first
     * segment when first asked and lists one more every second (the last six), never finished.
     */
    private static final class Server implements AutoCloseable {
        private static final long STEP_NANOS = 1_000_000_000L;
        private static final int WINDOW = 6;
        private final List<List<byte[]>> variants;
        private final List<byte[]> segments;
        private final boolean finished;
        private final HttpServer http;
        private long start = -1;
        /** Segment requests per variant. */
        private final java.util.concurrent.atomic.AtomicIntegerArray requests;

        Server(List<byte[]> segments, boolean finished) throws IOException {
            this(finished, List.of(segments));
        }

        /** Several variants: a master playlist lists them ({@code v0/index.m3u8}, …), each with its segments. */
        Server(boolean finished, List<List<byte[]>> variants) throws IOException {
            this.variants = variants;
            this.segments = variants.get(0);
            this.requests = new java.util.concurrent.atomic.AtomicIntegerArray(variants.size());
            this.finished = finished;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            http.setExecutor(Executors.newCachedThreadPool());
            http.createContext("/", this::serve);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort()
                    + (variants.size() == 1 ? "/v0/index.m3u8" : "/master.m3u8");
        }

        private String master() {
            StringBuilder p = new StringBuilder("#EXTM3U\n");
            for (int v = 0; v < variants.size(); v++) {
                p.append("#EXT-X-STREAM-INF:BANDWIDTH=")
                        .append(1_200_000 - 100_000 * v)
                        .append(",RESOLUTION=640x360\nv")
                        .append(v)
                        .append("/index.m3u8\n");
            }
            return p.toString();
        }

        private synchronized String playlist() {
            if (start < 0) {
                start = System.nanoTime();
            }
            int listed = finished
                    ? segments.size()
                    : (int) Math.min(segments.size(), 1 + (System.nanoTime() - start) / STEP_NANOS);
            int first = finished ? 0 : Math.max(0, listed - WINDOW);
            StringBuilder p = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n")
                    .append("#EXT-X-MEDIA-SEQUENCE:")
                    .append(first)
                    .append('\n');
            for (int k = first; k < listed; k++) {
                p.append("#EXTINF:1.0,\nseg").append(k).append(".ts\n");
            }
            if (finished) {
                p.append("#EXT-X-ENDLIST\n");
            }
            return p.toString();
        }

        private void serve(HttpExchange ex) throws IOException {
            try (ex) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                                "/v([0-9]+)/(index\\.m3u8|seg([0-9]+)\\.ts)")
                        .matcher(ex.getRequestURI().getPath());
                int v = m.matches() ? Integer.parseInt(m.group(1)) : -1;
                int k = m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : -1;
                byte[] body;
                if (ex.getRequestURI().getPath().equals("/master.m3u8")) {
                    body = master().getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/vnd.apple.mpegurl");
                } else if (v >= 0 && v < variants.size() && k < 0) {
                    body = playlist().getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/vnd.apple.mpegurl");
                } else if (v >= 0 && v < variants.size() && k < variants.get(v).size()) {
                    body = variants.get(v).get(k);
                    requests.incrementAndGet(v);
                    ex.getResponseHeaders().set("Content-Type", "video/mp2t");
                } else {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
