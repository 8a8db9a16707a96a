package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.api.worker.CaptionService;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The subtitle services the PMT declares, on the real capture with DVB subtitles and on PMTs written here. */
class SubtitleServicesTest {

    private static final int DROPPED_PID = 0x8E;

    @Test
    void theCaptureDeclaresItsTwoDvbSubtitleServices() throws IOException {
        TsAnalyzer analyzer = new TsAnalyzer();
        byte[] ts = Files.readAllBytes(TestMedia.broadcast("test-026.ts"));
        analyzer.feed(ts, 0, ts.length);

        List<CaptionService> services = analyzer.subtitleServices().current();
        assertThat(services).extracting(s -> s.kind).containsOnly(CaptionService.DVB_SUBTITLE);
        assertThat(services).extracting(s -> s.pid).containsExactly(0x8C, 0x8E);
        assertThat(services).extracting(s -> s.language).containsOnly("fra");
        assertThat(services).extracting(s -> s.program).containsOnly(257);
        assertThat(analyzer.subtitleServices().removed()).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aServiceThePmtDropsIsRemovedAndNoLongerListed() throws IOException {
        Path dropped = dropServiceHalfway("test-026.ts", DROPPED_PID);

        TsAnalyzer analyzer = new TsAnalyzer();
        byte[] ts = Files.readAllBytes(dropped);
        analyzer.feed(ts, 0, ts.length);
        assertThat(analyzer.subtitleServices().removed()).containsOnlyKeys(DROPPED_PID);

        CliRun run = CliRun.of("monitor", "--json", dropped.toString());
        List<JsonNode> removed = run.started().stream()
                .filter(e -> e.path("type").asText().equals("captions"))
                .toList();
        assertThat(removed).as(run.stdout()).hasSize(1);
        assertThat(removed.get(0).path("subtype").asText()).isEqualTo("service_removed");
        assertThat(removed.get(0).path("details").path("pid").asInt()).isEqualTo(DROPPED_PID);
        assertThat(run.summary().path("captions").findValues("pid"))
                .extracting(JsonNode::asInt)
                .containsExactly(0x8C);
    }

    @Test
    void teletextSubtitlePagesAndAribCaptionsAreFoundInThePmt() {
        SubtitleServices services = new SubtitleServices();
        byte[] teletext = {
            0x56, 10, 'd', 'e', 'u', (byte) (0x01 << 3), 0x00, 'd', 'e', 'u', (byte) (0x02 << 3), (byte) 0x88
        };
        byte[] arib = {0x52, 1, 0x30, (byte) 0xFD, 3, 0x00, 0x08, 0x3D};
        byte[] section = pmt(
                1, 0, new int[] {0x06, 0x200}, teletext, new int[] {0x06, 0x300}, arib, new int[] {0x1B, 0x100}, null);

        services.pmt(0x1000, section, section.length);

        assertThat(services.current())
                .extracting(CaptionService::toString)
                .containsExactly("teletext deu page 888 (PID 512)", "arib_caption (PID 768)");
    }

    /** A copy of the capture whose PMTs from the middle on no longer list {@code pid} (a new version, its CRC). */
    static Path dropServiceHalfway(String capture, int pid) throws IOException {
        byte[] ts = Files.readAllBytes(TestMedia.broadcast(capture));
        int pmtPid = pmtPid(ts);
        int rewritten = 0;
        for (int p = ts.length / 2 / 188 * 188; p + 188 <= ts.length; p += 188) {
            int packetPid = ((ts[p + 1] & 0x1F) << 8) | (ts[p + 2] & 0xFF);
            boolean pusi = (ts[p + 1] & 0x40) != 0;
            if (packetPid == pmtPid && pusi) {
                int payload = p + 4 + ((ts[p + 3] & 0x20) != 0 ? 1 + (ts[p + 4] & 0xFF) : 0);
                withoutStream(ts, payload + 1 + (ts[payload] & 0xFF), p + 188, pid);
                rewritten++;
            }
        }
        assertThat(rewritten).as("PMTs rewritten").isPositive();
        Path out = TestMedia.corpusDir().resolve(capture.replace(".ts", "-without-" + pid + ".ts"));
        Files.createDirectories(out.getParent());
        Files.write(out, ts);
        return out;
    }

    private static int pmtPid(byte[] ts) {
        for (int p = 0; p + 188 <= ts.length; p += 188) {
            if (((ts[p + 1] & 0x1F) << 8 | (ts[p + 2] & 0xFF)) == 0 && (ts[p + 1] & 0x40) != 0) {
                int s = p + 5 + (ts[p + 4] & 0xFF);
                return ((ts[s + 10] & 0x1F) << 8) | (ts[s + 11] & 0xFF); // the first programme
            }
        }
        throw new AssertionError("no PAT");
    }

    /** Removes the ES loop entry of {@code pid} from the PMT section at {@code s} (within one packet, up to end). */
    private static void withoutStream(byte[] ts, int s, int end, int pid) {
        int length = 3 + (((ts[s + 1] & 0x0F) << 8) | (ts[s + 2] & 0xFF));
        assertThat(s + length).as("a PMT within one packet").isLessThanOrEqualTo(end);
        int programInfo = ((ts[s + 10] & 0x0F) << 8) | (ts[s + 11] & 0xFF);
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        section.write(ts, s, 12 + programInfo);
        for (int i = s + 12 + programInfo; i + 5 <= s + length - 4; ) {
            int es = ((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF);
            int entry = 5 + (((ts[i + 3] & 0x0F) << 8) | (ts[i + 4] & 0xFF));
            if (es != pid) {
                section.write(ts, i, entry);
            }
            i += entry;
        }
        byte[] body = section.toByteArray();
        body[5] = (byte) ((body[5] & 0xC1) | ((((body[5] >> 1) + 1) & 0x1F) << 1)); // version_number + 1
        byte[] b = withCrc(body);
        System.arraycopy(b, 0, ts, s, b.length);
        Arrays.fill(ts, s + b.length, end, (byte) 0xFF);
    }

    /** A PMT section of programme {@code program}: pairs of {stream type, PID} and descriptor bytes (or null). */
    private static byte[] pmt(int program, int pcrPid, Object... streams) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(new byte[] {0x02, 0, 0, (byte) (program >> 8), (byte) program, (byte) 0xC1, 0, 0});
        s.writeBytes(new byte[] {(byte) (0xE0 | pcrPid >> 8), (byte) pcrPid, (byte) 0xF0, 0});
        for (int i = 0; i < streams.length; i += 2) {
            int[] entry = (int[]) streams[i];
            byte[] descriptors = streams[i + 1] == null ? new byte[0] : (byte[]) streams[i + 1];
            s.writeBytes(new byte[] {
                (byte) entry[0],
                (byte) (0xE0 | entry[1] >> 8),
                (byte) entry[1],
                (byte) (0xF0 | descriptors.length >> 8),
                (byte) descriptors.length
            });
            s.writeBytes(descriptors);
        }
        return withCrc(s.toByteArray());
    }

    /** The section with its section_length set and its CRC appended. */
    private static byte[] withCrc(byte[] body) {
        byte[] b = Arrays.copyOf(body, body.length + 4);
        int sectionLength = b.length - 3;
        b[1] = (byte) (0xB0 | (sectionLength >> 8));
        b[2] = (byte) sectionLength;
        int crc = Crc32Mpeg.of(b, 0, b.length - 4);
        b[b.length - 4] = (byte) (crc >> 24);
        b[b.length - 3] = (byte) (crc >> 16);
        b[b.length - 2] = (byte) (crc >> 8);
        b[b.length - 1] = (byte) crc;
        return b;
    }
}
