package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SCTE-35 in a transport stream: the generated 6 s stream of {@link TransportStreamTest} with a PMT entry of stream
 * type 0x86 on PID {@value #CUE_PID} added (its CRC recomputed) and sections muxed in at known places: a splice_insert
 * out of network with a 0.5 s break and auto_return 0 that never returns (missing_return), one with auto_return 1 and a
 * pts_adjustment that wraps the 33-bit PTS, a time_signal with a placement opportunity descriptor, a splice_null, and
 * a splice_insert whose CRC is broken (crc_error). Each good one is a cue event at its splice time on the media
 * clock; the committed capture test-137 declares an SCTE-35 PID (and carries no section) and it is seen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Scte35StreamTest {

    static final int CUE_PID = 0x1F0;
    private static final int TS = TsAnalyzer.PACKET_SIZE;
    private static final long WRAPPING_ADJUSTMENT = (1L << 33) - 45_000;

    private static byte[] base;
    /** The stream's first PTS, seconds: 0 on the media clock. */
    private static double firstPts;

    private static CliRun run;

    @BeforeAll
    static void monitor() throws IOException {
        base = Files.readAllBytes(TransportStreamTest.base());
        firstPts = Double.POSITIVE_INFINITY;
        for (int i = 0; i + TS <= base.length; i += TS) {
            double pts = TransportStreamTest.pesPts(base, i);
            if (!Double.isNaN(pts)) {
                firstPts = Math.min(firstPts, pts);
            }
        }
        Path file = TestMedia.corpusDir().resolve("scte35-cues.ts");
        Files.write(file, withCues(base));
        run = CliRun.of("monitor", "--json", file.toString());
    }

    /** The splice time of a cue {@code seconds} after the stream's first PTS, 90 kHz. */
    private static long ptsAt(double seconds) {
        return Math.round((firstPts + seconds) * 90_000);
    }

    /** Cue sections to mux in, each after the first packet at or past its stream time (seconds after the first PCR). */
    private static List<Object[]> sections() {
        return List.of(
                new Object[] {0.8, Scte35Sections.spliceInsert(1, true, ptsAt(1.5), 0.5, false, 0)},
                new Object[] {
                    1.3,
                    Scte35Sections.spliceInsert(
                            2,
                            true,
                            (ptsAt(2.0) - WRAPPING_ADJUSTMENT) & ((1L << 33) - 1),
                            0.5,
                            true,
                            WRAPPING_ADJUSTMENT)
                },
                new Object[] {1.8, Scte35Sections.timeSignal(ptsAt(2.5), 3, 0x34, 30.0)},
                new Object[] {2.3, Scte35Sections.spliceNull()},
                new Object[] {
                    2.8, Scte35Sections.withBrokenCrc(Scte35Sections.spliceInsert(4, true, ptsAt(3.5), 1.0, false, 0))
                });
    }

    @Test
    void everyGoodSectionIsACueAtItsSpliceTime() {
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> cues = cues();
        assertThat(cues)
                .extracting(c -> c.path("command").asText())
                .as(run.stdout())
                .containsExactly("splice_insert", "splice_insert", "time_signal", "splice_null");
        JsonNode out = cues.get(0);
        assertThat(out.path("source").asText()).isEqualTo("ts");
        assertThat(out.path("pid").asInt()).isEqualTo(CUE_PID);
        assertThat(out.path("eventId").asLong()).isEqualTo(1);
        assertThat(out.path("outOfNetwork").asBoolean()).isTrue();
        assertThat(out.path("autoReturn").asBoolean()).isFalse();
        assertThat(out.path("duration").asDouble()).isEqualTo(0.5);
        assertThat(out.path("time").asDouble()).isCloseTo(1.5, within(0.05));

        JsonNode wrapped = cues.get(1);
        assertThat(wrapped.path("pts").asLong())
                .as("pts_adjustment applied, wrapped")
                .isEqualTo(ptsAt(2.0));
        assertThat(wrapped.path("time").asDouble()).isCloseTo(2.0, within(0.05));

        JsonNode signal = cues.get(2);
        assertThat(signal.path("segmentationType").asInt()).isEqualTo(0x34);
        assertThat(signal.path("eventId").asLong()).isEqualTo(3);
        assertThat(signal.path("time").asDouble()).isCloseTo(2.5, within(0.05));
    }

    @Test
    void aBrokenCrcAndABreakThatNeverReturnsAreScte35Defects() {
        List<JsonNode> scte35 = run.started().stream()
                .filter(d -> d.path("type").asText().equals("scte35"))
                .toList();
        assertThat(scte35)
                .extracting(d -> d.path("subtype").asText())
                .as(run.stdout())
                .containsExactlyInAnyOrder("crc_error", "missing_return");
        JsonNode crc = scte35.stream()
                .filter(d -> d.path("subtype").asText().equals("crc_error"))
                .findFirst()
                .orElseThrow();
        assertThat(crc.path("details").path("pid").asInt()).isEqualTo(CUE_PID);
        JsonNode missing = scte35.stream()
                .filter(d -> d.path("subtype").asText().equals("missing_return"))
                .findFirst()
                .orElseThrow();
        assertThat(missing.path("details").path("eventId").asLong())
                .as("the break without auto_return")
                .isEqualTo(1);
        assertThat(missing.path("start").asDouble())
                .as("its duration + 2 s after it went out")
                .isCloseTo(1.5 + 0.5 + 2, within(0.05));
        assertThat(run.summary().path("transport").path("scte35Pids"))
                .extracting(JsonNode::asInt)
                .containsExactly(CUE_PID);
        assertThat(run.started())
                .as("nothing else: the muxed-in PID and PMT entry are sound")
                .allSatisfy(d -> assertThat(d.path("type").asText()).isEqualTo("scte35"));
    }

    @Test
    void theCaptureThatDeclaresScte35HasItsPidSeen() {
        CliRun capture = CliRun.of(
                "monitor", "--json", TestMedia.broadcast("test-137.ts").toString());

        assertThat(capture.exitCode()).as(capture.stderr()).isZero();
        assertThat(capture.summary().path("transport").path("scte35Pids"))
                .extracting(JsonNode::asInt)
                .containsExactly(129);
    }

    private static List<JsonNode> cues() {
        return run.events().stream()
                .filter(e -> e.path("event").asText().equals("cue"))
                .toList();
    }

    /** The stream with the 0x86 PMT entry and the sections of {@link #sections()} muxed in. */
    static byte[] withCues(byte[] ts) {
        List<Object[]> pending = new ArrayList<>(sections());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pmtPid = pmtPid(ts);
        double firstPcr = Double.NaN;
        int cc = 0;
        for (int i = 0; i + TS <= ts.length; i += TS) {
            byte[] p = java.util.Arrays.copyOfRange(ts, i, i + TS);
            if (pid(p) == pmtPid && (p[1] & 0x40) != 0) {
                addCuePid(p);
            }
            out.write(p, 0, TS);
            double pcr = pcrSeconds(p);
            if (!Double.isNaN(pcr) && Double.isNaN(firstPcr)) {
                firstPcr = pcr;
            }
            if (!pending.isEmpty() && pcr - firstPcr >= (double) pending.get(0)[0]) {
                out.write(packet((byte[]) pending.remove(0)[1], cc++), 0, TS);
            }
        }
        assertThat(pending).as("every section muxed in").isEmpty();
        return out.toByteArray();
    }

    /** One TS packet on {@link #CUE_PID} carrying a whole section. */
    private static byte[] packet(byte[] section, int cc) {
        byte[] p = new byte[TS];
        java.util.Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) (0x40 | (CUE_PID >> 8));
        p[2] = (byte) CUE_PID;
        p[3] = (byte) (0x10 | (cc & 0x0F));
        p[4] = 0; // pointer_field
        System.arraycopy(section, 0, p, 5, section.length);
        return p;
    }

    /** Adds an elementary stream of type 0x86 on {@link #CUE_PID} to the PMT section in {@code p}; a new CRC. */
    private static void addCuePid(byte[] p) {
        int s = 4 + ((p[3] & 0x20) != 0 ? 1 + (p[4] & 0xFF) : 0);
        s += 1 + (p[s] & 0xFF); // pointer_field
        int length = ((p[s + 1] & 0x0F) << 8) | (p[s + 2] & 0xFF);
        int crcAt = s + 3 + length - 4;
        byte[] entry = {(byte) 0x86, (byte) (0xE0 | (CUE_PID >> 8)), (byte) CUE_PID, (byte) 0xF0, 0};
        System.arraycopy(entry, 0, p, crcAt, entry.length);
        length += entry.length;
        p[s + 1] = (byte) ((p[s + 1] & 0xF0) | (length >> 8));
        p[s + 2] = (byte) length;
        int crc = Crc32Mpeg.of(p, s, 3 + length - 4);
        for (int k = 0; k < 4; k++) {
            p[s + 3 + length - 4 + k] = (byte) (crc >>> (24 - 8 * k));
        }
    }

    private static int pmtPid(byte[] ts) {
        for (int i = 0; i + TS <= ts.length; i += TS) {
            if (pid(java.util.Arrays.copyOfRange(ts, i, i + 5)) == 0 && (ts[i + 1] & 0x40) != 0) {
                int s = i + 5 + (ts[i + 4] & 0xFF);
                return ((ts[s + 10] & 0x1F) << 8) | (ts[s + 11] & 0xFF);
            }
        }
        throw new AssertionError("no PAT");
    }

    private static double pcrSeconds(byte[] p) {
        if ((p[3] & 0x20) == 0 || (p[4] & 0xFF) < 7 || (p[5] & 0x10) == 0) {
            return Double.NaN;
        }
        long base = 0;
        for (int k = 6; k < 10; k++) {
            base = (base << 8) | (p[k] & 0xFF);
        }
        return ((base << 1) | ((p[10] & 0xFF) >> 7)) / 90_000.0;
    }

    private static int pid(byte[] p) {
        return ((p[1] & 0x1F) << 8) | (p[2] & 0xFF);
    }
}
