package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.decode.DecoderOptions;
import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.CorruptionDetector;
import dev.monoscope.worker.live.DefectLog;
import dev.monoscope.worker.live.LiveMonitor;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.source.SourceUrl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A small generated transport stream, damaged in Java at known places (an ffmpeg remux would repair it): packets of
 * the video PID dropped at {@value #DROPS} places give exactly that many continuity errors on that PID, and every PAT
 * removed for 1 s gives a PAT error; from a file and over UDP on loopback (sent raw by the test, 7 packets per
 * datagram). The undamaged stream raises no transport defect.
 */
class TransportStreamTest {

    private static final int DROPS = 5;
    /** FFmpeg's mpegts muxer puts the first stream (video) on PID 0x100. */
    private static final int VIDEO_PID = 0x100;

    private static final int TS = TsAnalyzer.PACKET_SIZE;

    /** The undamaged stream (TestMedia has FFmpeg put PCRs at most 40 ms apart, as DVB requires). */
    static Path base() {
        return TestMedia.mpeg2TestPattern("transport-base.ts", 6);
    }

    /** The base stream without {@value #DROPS} video packets (payload only: no PCR, no PES start), 1 s apart. */
    static Path withDrops() throws IOException {
        Path out = TestMedia.corpusDir().resolve("transport-cc-drop5.ts");
        if (!Files.isRegularFile(out)) {
            byte[] ts = Files.readAllBytes(base());
            List<Integer> drop = droppedPackets(ts);
            write(out, ts, i -> drop.contains(i));
        }
        return out;
    }

    /** Where, in the base stream, {@link #withDrops()} leaves packets out: byte offsets. */
    static List<Integer> droppedPackets(byte[] ts) {
        List<Integer> droppable = new ArrayList<>();
        for (int i = 0; i + TS <= ts.length; i += TS) {
            boolean payloadOnly = (ts[i + 3] & 0x30) == 0x10;
            if (pid(ts, i) == VIDEO_PID && payloadOnly && (ts[i + 1] & 0x40) == 0) {
                droppable.add(i);
            }
        }
        List<Integer> drop = new ArrayList<>();
        for (int k = 1; k <= DROPS; k++) {
            drop.add(droppable.get(droppable.size() * k / (DROPS + 1)));
        }
        return drop;
    }

    /** The PTS (seconds) of the video PES packet that the TS packet at {@code offset} carries part of. */
    static double videoPtsAt(byte[] ts, int offset) {
        double pts = Double.NaN;
        for (int i = 0; i <= offset; i += TS) {
            if (pid(ts, i) == VIDEO_PID && !Double.isNaN(pesPts(ts, i))) {
                pts = pesPts(ts, i);
            }
        }
        return pts;
    }

    /** The PTS (seconds) of the PES packet that starts in the TS packet at {@code i}, or NaN. */
    static double pesPts(byte[] ts, int i) {
        boolean hasAf = (ts[i + 3] & 0x20) != 0;
        int p = i + 4 + (hasAf ? 1 + (ts[i + 4] & 0xFF) : 0);
        boolean pesStart = (ts[i + 1] & 0x40) != 0
                && p + 14 <= i + TS
                && ts[p] == 0
                && ts[p + 1] == 0
                && ts[p + 2] == 1
                && (ts[p + 7] & 0x80) != 0;
        if (!pesStart) {
            return Double.NaN;
        }
        long pts = ((long) (ts[p + 9] & 0x0E) << 29)
                | ((ts[p + 10] & 0xFF) << 22)
                | ((ts[p + 11] & 0xFE) << 14)
                | ((ts[p + 12] & 0xFF) << 7)
                | ((ts[p + 13] & 0xFF) >> 1);
        return pts / 90_000.0;
    }

    /**
     * The base stream without its PATs from 2 s to 3 s (times from the stream's PCRs); the continuity counters of the
     * PATs after the gap are renumbered, so that the PAT is missing and nothing else is wrong.
     */
    static Path withoutPatForOneSecond() throws IOException {
        Path out = TestMedia.corpusDir().resolve("transport-no-pat-1s.ts");
        if (!Files.isRegularFile(out)) {
            byte[] ts = Files.readAllBytes(base());
            double first = Double.NaN;
            double[] at = new double[ts.length / TS];
            double now = Double.NaN;
            for (int i = 0; i + TS <= ts.length; i += TS) {
                boolean pcr = (ts[i + 3] & 0x20) != 0 && (ts[i + 4] & 0xFF) >= 7 && (ts[i + 5] & 0x10) != 0;
                if (pcr) {
                    now = pcrBase(ts, i) / 90_000.0;
                    if (Double.isNaN(first)) {
                        first = now;
                    }
                }
                at[i / TS] = now - first;
            }
            IntPredicate removed = i -> pid(ts, i) == 0 && at[i / TS] >= 2.0 && at[i / TS] < 3.0;
            int cc = -1;
            for (int i = 0; i + TS <= ts.length; i += TS) {
                if (pid(ts, i) == 0 && !removed.test(i)) {
                    cc = cc < 0 ? ts[i + 3] & 0x0F : (cc + 1) & 0x0F;
                    ts[i + 3] = (byte) ((ts[i + 3] & 0xF0) | cc);
                }
            }
            write(out, ts, removed);
        }
        return out;
    }

    /**
     * Where, on the monitor's media clock, the PAT error of a stream with one long gap between PATs is due: 0.5 s
     * after the last PAT before the gap, on the PCR clock (the last PCR before it), less the stream's first PTS
     * (where the media clock starts).
     */
    static double patErrorDue(byte[] ts) {
        double pcr = Double.NaN;
        double firstPts = Double.POSITIVE_INFINITY;
        double lastPat = Double.NaN;
        double gapAfter = Double.NaN;
        double longest = 0;
        for (int i = 0; i + TS <= ts.length; i += TS) {
            boolean hasAf = (ts[i + 3] & 0x20) != 0;
            if (hasAf && (ts[i + 4] & 0xFF) >= 7 && (ts[i + 5] & 0x10) != 0) {
                pcr = pcrBase(ts, i) / 90_000.0;
            }
            double pts = pesPts(ts, i);
            if (!Double.isNaN(pts)) {
                firstPts = Math.min(firstPts, pts);
            }
            if (pid(ts, i) == 0 && !Double.isNaN(pcr)) {
                if (!Double.isNaN(lastPat) && pcr - lastPat > longest) {
                    longest = pcr - lastPat;
                    gapAfter = lastPat;
                }
                lastPat = pcr;
            }
        }
        return gapAfter + 0.5 - firstPts;
    }

    private static long pcrBase(byte[] ts, int i) {
        long base = 0;
        for (int k = 6; k < 10; k++) {
            base = (base << 8) | (ts[i + k] & 0xFF);
        }
        return (base << 1) | ((ts[i + 10] & 0xFF) >> 7);
    }

    private static int pid(byte[] ts, int i) {
        return ((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF);
    }

    private static void write(Path out, byte[] ts, IntPredicate leaveOut) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(ts.length);
        for (int i = 0; i + TS <= ts.length; i += TS) {
            if (!leaveOut.test(i)) {
                kept.write(ts, i, TS);
            }
        }
        Path tmp = out.resolveSibling(".tmp-" + ProcessHandle.current().pid() + "-" + out.getFileName());
        Files.write(tmp, kept.toByteArray());
        Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void droppedPacketsGiveExactlyThatManyContinuityErrors() throws IOException {
        byte[] ts = Files.readAllBytes(withDrops());
        TsAnalyzer a = new TsAnalyzer();
        TsAnalyzerTest.feedInRandomChunks(a, ts, new java.util.Random(7));

        assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR, VIDEO_PID))
                .isEqualTo(DROPS);
        assertThat(a.counters().discontinuities(VIDEO_PID)).isEqualTo(DROPS);
        assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR))
                .as("on other PIDs")
                .isEqualTo(DROPS);

        CliRun run = CliRun.of("monitor", "--json", withDrops().toString());
        List<JsonNode> transport = TransportCliTest.transportDefects(run);
        assertThat(transport).as(run.stdout()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.path("subtype").asText()).isEqualTo("continuity_count_error");
            assertThat(d.path("details").path("pid").asInt()).isEqualTo(VIDEO_PID);
        });
    }

    /**
     * Packets lost on the way are corruption whatever decodes them: the demuxer marks the packet that lost data, and a
     * detector that sees no decoder flag and no pixels (a GPU decoder flags nothing) raises it at that picture, until
     * the next keyframe. The command line (CPU, where the decoder flags the damage too) names lost data as the cause.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void droppedVideoPacketsAreCorruptionOnAnyDecoder() throws Exception {
        byte[] ts = Files.readAllBytes(base());
        List<Double> damaged =
                droppedPackets(ts).stream().map(i -> videoPtsAt(ts, i)).toList();
        DefectLog log = new DefectLog();
        DefectTracker tracker = new DefectTracker("test", List.of(log), Map.of(), Map.of(DefectType.CORRUPTION, 0.0));
        CorruptionDetector gpuLike = new CorruptionDetector(false, false);
        List<Double> keyframes = new ArrayList<>();
        double last = 0;
        try (StreamDecoder d = StreamDecoder.open(
                SourceUrl.parse(withDrops().toString(), true, null, null),
                DecoderOptions.cpu(10).withTransport(new TsAnalyzer()))) {
            for (StreamDecoder.Kind k = d.next(); k != null; k = d.next()) {
                if (k == StreamDecoder.Kind.VIDEO) {
                    Picture p = d.picture();
                    gpuLike.picture(p, p.pts(), tracker);
                    if (p.keyFrame()) {
                        keyframes.add(p.pts());
                    }
                    last = p.pts();
                }
            }
        }
        gpuLike.inputEnded(tracker);
        tracker.finish(last + 0.04);

        List<Defect> corruption = log.events().stream()
                .filter(e -> !e.started())
                .map(DefectLog.Event::defect)
                .toList();
        assertThat(corruption).as(log.describe()).hasSize(DROPS);
        for (int k = 0; k < DROPS; k++) {
            Defect d = corruption.get(k);
            double start = d.start;
            assertThat(start).as("picture of lost packet %d", k).isCloseTo(damaged.get(k), within(0.001));
            assertThat(d.end)
                    .as("next keyframe")
                    .isCloseTo(
                            keyframes.stream()
                                    .filter(t -> t > start + 1e-6)
                                    .findFirst()
                                    .orElseThrow(),
                            within(0.001));
            assertThat(d.details).containsEntry("source", "transport");
        }

        // (the command line merges damage less than its merge window apart into one defect)
        CliRun run = CliRun.of("monitor", "--json", withDrops().toString());
        assertThat(run.ended())
                .filteredOn(e -> e.path("type").asText().equals("corruption"))
                .as(run.stdout())
                .isNotEmpty()
                .allSatisfy(e ->
                        assertThat(e.path("details").path("source").asText()).isEqualTo("transport"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneSecondWithoutPatIsAPatError() throws IOException {
        CliRun run = CliRun.of("monitor", "--json", withoutPatForOneSecond().toString());

        List<JsonNode> transport = TransportCliTest.transportDefects(run);
        assertThat(transport)
                .extracting(d -> d.path("subtype").asText())
                .as(run.stdout())
                .containsExactly("pat_error");
        double due = patErrorDue(Files.readAllBytes(withoutPatForOneSecond()));
        assertThat(transport.get(0).path("start").asDouble()).isCloseTo(due, within(0.1));
        assertThat(transport.get(0).path("details").path("pid").asInt()).isZero();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theUndamagedStreamRaisesNoTransportDefect() {
        CliRun run = CliRun.of("monitor", "--json", base().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(TransportCliTest.transportDefects(run)).as(run.stdout()).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void overUdpTheDroppedPacketsGiveExactlyThatManyContinuityErrors() throws Exception {
        byte[] ts = Files.readAllBytes(withDrops());
        int port = freePort();
        TsAnalyzer a = new TsAnalyzer();
        SourceUrl url = SourceUrl.parse("udp://127.0.0.1:" + port, false, null, null);
        Thread sender = sender(ts, port);
        long pictures = 0;
        try (StreamDecoder decoder =
                StreamDecoder.open(url, DecoderOptions.cpu(2.0).withTransport(a))) {
            while (true) {
                try {
                    if (decoder.next() == StreamDecoder.Kind.VIDEO) {
                        pictures++;
                    }
                } catch (InputException e) {
                    break; // the sender finished: no data for the timeout
                }
            }
        } finally {
            sender.join();
        }
        assertThat(pictures).isPositive();
        assertThat(a.totalPackets()).as("every packet sent").isEqualTo(ts.length / TS);
        assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR, VIDEO_PID))
                .isEqualTo(DROPS);
        assertThat(a.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR)).isEqualTo(DROPS);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void overUdpOneSecondWithoutPatIsAPatError() throws Exception {
        byte[] ts = Files.readAllBytes(withoutPatForOneSecond());
        int port = freePort();
        DefectLog log = new DefectLog();
        LiveMonitor monitor = LiveMonitor.start("udp://127.0.0.1:" + port, log);
        Thread sender = sender(ts, port);
        try {
            DefectLog.Event pat = log.awaitStarted("transport", 0, Duration.ofSeconds(30));
            assertThat(pat.defect().subtype).isEqualTo("pat_error");
            sender.join();
            Thread.sleep(500);
            assertThat(log.events())
                    .filteredOn(e -> e.type().equals("transport"))
                    .as(log.describe())
                    .allSatisfy(e -> assertThat(e.defect().subtype).isEqualTo("pat_error"));
        } finally {
            monitor.close();
            sender.join();
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends the stream raw, 7 packets per datagram, at about twice its real-time rate, after the receiver binds. */
    private static Thread sender(byte[] ts, int port) {
        Thread t = new Thread(
                () -> {
                    try (DatagramSocket socket = new DatagramSocket()) {
                        Thread.sleep(1000);
                        InetAddress to = InetAddress.getLoopbackAddress();
                        int chunk = 7 * TS;
                        // the clip is 6 s long: 3 s for all of it
                        long nanosPerDatagram = 3_000_000_000L / Math.max(1, ts.length / chunk);
                        long start = System.nanoTime();
                        for (int off = 0, n = 0; off < ts.length; off += chunk, n++) {
                            socket.send(new DatagramPacket(ts, off, Math.min(chunk, ts.length - off), to, port));
                            long wait = start + n * nanosPerDatagram - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "test-udp-sender");
        t.start();
        return t;
    }
}
