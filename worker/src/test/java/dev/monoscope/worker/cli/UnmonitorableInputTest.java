package dev.monoscope.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.media.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Inputs that arrive but cannot be monitored end like any file (summary, exit code) and say why: video that is
 * scrambled (conditional access) and H.264 without parameter sets (SPS/PPS). Both once hung: their files have no
 * duration FFmpeg can tell, so they were taken for live inputs and reopened forever.
 */
class UnmonitorableInputTest {

    private static final int VIDEO_PID = 0x100;
    private static final int AUDIO_PID = 0x101;
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(30);

    @Test
    void scrambledVideoAloneEndsWithExit3AndSaysScrambled() throws IOException {
        Path clip = scrambled(clean("unmonitorable-video.ts", false), "unmonitorable-scrambled-video.ts", 0);
        CliRun run = assertTimeoutPreemptively(ENDS_WITHIN, () -> CliRun.of("monitor", "--json", clip.toString()));
        assertThat(run.exitCode()).as("nothing decoded").isEqualTo(ExitCode.INPUT_NEVER_OPENED);
        assertThat(signalLossReasons(run)).containsExactly("scrambled");
        assertThat(run.summary().path("frames").asLong()).isZero();
        // without the transport analysis nothing tells scrambling apart: the file still ends, nothing decoded
        CliRun blind = assertTimeoutPreemptively(
                ENDS_WITHIN, () -> CliRun.of("monitor", "--json", "--disable", "transport", clip.toString()));
        assertThat(blind.exitCode()).as("nothing decoded").isEqualTo(ExitCode.INPUT_NEVER_OPENED);
    }

    @Test
    void scrambledVideoBesideClearAudioIsSignalLossButNotBlackOrFreeze() throws IOException {
        Path clip = scrambled(clean("unmonitorable-av.ts", true), "unmonitorable-scrambled-av.ts", 0);
        CliRun run = assertTimeoutPreemptively(ENDS_WITHIN, () -> CliRun.of("monitor", "--json", clip.toString()));
        assertThat(run.exitCode()).as("the audio decoded").isEqualTo(ExitCode.OK);
        assertThat(signalLossReasons(run)).containsExactly("scrambled");
        assertThat(run.started()).extracting(e -> e.path("type").asText()).containsOnly("signal_loss");
    }

    @Test
    void videoScrambledFromMidStreamIsSignalLossAlone() throws IOException {
        // a pay-TV event: the service turns scrambled; its PTS, in the scrambled payload, are not missing
        Path clip = scrambled(clean("unmonitorable-av.ts", true), "unmonitorable-scrambled-from-4s.ts", 0.5);
        CliRun run = assertTimeoutPreemptively(ENDS_WITHIN, () -> CliRun.of("monitor", "--json", clip.toString()));
        assertThat(signalLossReasons(run)).containsExactly("scrambled");
        assertThat(run.started()).extracting(e -> e.path("type").asText()).containsOnly("signal_loss");
    }

    @Test
    void anAudioTrackThatCarriesNothingIsSilenceMissingThroughout() throws IOException {
        // the PMT declares the audio, not one of its packets comes: a viewer hears nothing from the start
        Path clip = derived(
                clean("unmonitorable-av.ts", true),
                "unmonitorable-audio-pid-empty.ts",
                ts -> withoutPid(ts, AUDIO_PID));
        CliRun run = assertTimeoutPreemptively(ENDS_WITHIN, () -> CliRun.of("monitor", "--json", clip.toString()));
        List<JsonNode> silences = run.ended().stream()
                .filter(e -> e.path("type").asText().equals("silence"))
                .toList();
        assertThat(silences).hasSize(1);
        assertThat(silences.get(0).path("details").path("reason").asText()).isEqualTo("missing");
        assertThat(silences.get(0).path("start").asDouble()).isLessThan(0.1);
        assertThat(silences.get(0).path("end").asDouble()).isCloseTo(8.0, within(0.1));
    }

    @Test
    void h264WithoutParameterSetsEndsWithExit3AndSaysUndecodable() {
        Path source = clean("unmonitorable-video.ts", false);
        Path stripped = TestMedia.clip(
                "unmonitorable-nosps.h264",
                List.of(
                        "-i",
                        source.toString(),
                        "-map",
                        "0:v",
                        "-c",
                        "copy",
                        "-bsf:v",
                        "filter_units=remove_types=7|8"));
        // from the raw stream, which carries no SPS/PPS left to put back: the TS muxer re-inserts what it knows
        Path clip = TestMedia.clip(
                "unmonitorable-nosps.ts", List.of("-r", "25", "-f", "h264", "-i", stripped.toString(), "-c", "copy"));
        CliRun run = assertTimeoutPreemptively(ENDS_WITHIN, () -> CliRun.of("monitor", "--json", clip.toString()));
        assertThat(run.exitCode()).as("nothing decoded").isEqualTo(ExitCode.INPUT_NEVER_OPENED);
        assertThat(signalLossReasons(run)).containsExactly("undecodable");
        JsonNode details = run.started().get(0).path("details");
        assertThat(details.path("message").asText()).contains("no parameter sets (SPS/PPS)");
    }

    private static List<String> signalLossReasons(CliRun run) {
        return run.started().stream()
                .filter(e -> e.path("type").asText().equals("signal_loss"))
                .map(e -> e.path("details").path("reason").asText())
                .toList();
    }

    /** 8 s of moving H.264 (one keyframe a second), with a tone when {@code audio}. */
    private static Path clean(String name, boolean audio) {
        List<String> args =
                new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=8"));
        if (audio) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=f=440:duration=8", "-c:a", "aac"));
        }
        args.addAll(List.of("-c:v", "libopenh264", "-b:v", "1M", "-g", "25"));
        return TestMedia.clip(name, args);
    }

    /**
     * The clip with its video PID scrambled as conditional access leaves it: transport_scrambling_control set on every
     * packet of the PID and the payloads garbled (seeded), the PAT, PMT and other PIDs in the clear; from {@code from}
     * of the file on (a share of its bytes).
     */
    private static Path scrambled(Path clean, String name, double from) throws IOException {
        return derived(clean, name, ts -> scramble(ts, from));
    }

    private static byte[] scramble(byte[] ts, double from) {
        Random random = new Random(12);
        for (int p = (int) (ts.length * from) / 188 * 188; p + 188 <= ts.length; p += 188) {
            int pid = ((ts[p + 1] & 0x1F) << 8) | (ts[p + 2] & 0xFF);
            if (pid != VIDEO_PID) {
                continue;
            }
            int control = ts[p + 3] & 0xFF;
            ts[p + 3] = (byte) ((control & 0x3F) | 0x80); // "scrambled with the even key"
            boolean adaptation = (control & 0x20) != 0;
            boolean payload = (control & 0x10) != 0;
            int start = p + 4 + (adaptation ? 1 + (ts[p + 4] & 0xFF) : 0);
            for (int i = start; payload && i < p + 188; i++) {
                ts[i] = (byte) random.nextInt(256);
            }
        }
        return ts;
    }

    /** The clip with every packet of {@code pid} left out: its PMT still declares the stream. */
    private static byte[] withoutPid(byte[] ts, int pid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length);
        for (int p = 0; p + 188 <= ts.length; p += 188) {
            if ((((ts[p + 1] & 0x1F) << 8) | (ts[p + 2] & 0xFF)) != pid) {
                out.write(ts, p, 188);
            }
        }
        return out.toByteArray();
    }

    /** {@code edit} of the clean clip's bytes, made once (again when the clean clip is newer). */
    private static Path derived(Path clean, String name, UnaryOperator<byte[]> edit) throws IOException {
        Path target = TestMedia.corpusDir().resolve(name);
        if (Files.isRegularFile(target)
                && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(clean)) > 0) {
            return target;
        }
        byte[] ts = edit.apply(Files.readAllBytes(clean));
        Path tmp = target.resolveSibling(".tmp-" + name);
        Files.write(tmp, ts);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
