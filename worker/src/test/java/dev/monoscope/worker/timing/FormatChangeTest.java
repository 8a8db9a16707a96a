package dev.monoscope.worker.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Format changes through the real command line: two H.264/AAC encodes of different picture sizes, the second one's
 * timestamps continuing the first's, joined at the transport stream level (same codecs and PIDs), as a channel
 * switching its resolution mid-stream does.
 */
class FormatChangeTest {

    static Path part(String name, String size, String tsOffset) {
        return part(name, size, 2, tsOffset);
    }

    /** 3 s of H.264 and AAC (stereo, or 5.1 with {@code channels} 6), timestamps {@code tsOffset} s on. */
    static Path part(String name, String size, int channels, String tsOffset) {
        return part(name, size, channels, 25, tsOffset);
    }

    /** 3 s of H.264 at {@code fps} and AAC, timestamps {@code tsOffset} s on. */
    static Path part(String name, String size, int channels, int fps, String tsOffset) {
        return part(name, size, channels, fps, tsOffset, "libopenh264");
    }

    /** 3 s of video ({@code codec}: libopenh264, mpeg2video) at {@code fps} and AAC, timestamps {@code tsOffset} s on. */
    private static Path part(String name, String size, int channels, int fps, String tsOffset, String codec) {
        return TestMedia.clip(
                name,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=" + size + ":rate=" + fps + ":duration=3",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=3",
                        "-c:v",
                        codec,
                        "-b:v",
                        codec.equals("mpeg2video") ? "2M" : "1M",
                        "-g",
                        String.valueOf(fps),
                        "-c:a",
                        "aac",
                        "-b:a",
                        "128k",
                        "-af",
                        "pan=" + (channels == 6 ? "5.1" : "stereo") + "|" + everyChannel(channels),
                        "-output_ts_offset",
                        tsOffset));
    }

    /** The tone on every channel (an upmix would leave some silent). */
    private static String everyChannel(int channels) {
        StringBuilder pan = new StringBuilder();
        for (int c = 0; c < channels; c++) {
            pan.append(c == 0 ? "" : "|").append("c").append(c).append("=c0");
        }
        return pan.toString();
    }

    static Path resolutionChange() {
        Path first = part("timing-part-640x360.ts", "640x360", "0");
        Path second = part("timing-part-320x180-at3.ts", "320x180", "3");
        return TestMedia.clip(
                "timing-resolution-change.ts",
                List.of("-i", "concat:" + first + "|" + second, "-map", "0", "-c", "copy"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aResolutionChangeMidStreamIsOneFormatChangeEvent() {
        CliRun run = CliRun.of("monitor", "--json", resolutionChange().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> ended = run.ended();
        assertThat(ended).extracting(e -> e.path("type").asText()).containsExactly("format_change");
        JsonNode change = ended.get(0);
        assertThat(change.path("start").asDouble()).isCloseTo(3.0, within(0.1));
        assertThat(change.path("duration").asDouble()).as("an event").isZero();
        assertThat(change.path("severity").asText()).isEqualTo("info");
        assertThat(change.path("details").path("what").asText()).isEqualTo("resolution");
        assertThat(change.path("details").path("from").asText()).isEqualTo("640x360");
        assertThat(change.path("details").path("to").asText()).isEqualTo("320x180");
        assertThat(change.has("truncated")).isFalse();
        assertThat(run.summary().path("defects").path("format_change").asInt()).isEqualTo(1);
    }

    /** 3 s at 50 fps, then 3 s at 25 fps: same size and codecs, the timestamps running on. */
    static Path rateChange() {
        Path first = part("rate-part-640x360-50fps.ts", "640x360", 2, 50, "0");
        Path second = part("rate-part-640x360-25fps-at3.ts", "640x360", 2, 25, "3");
        return TestMedia.clip(
                "rate-change-50-25.ts", List.of("-i", "concat:" + first + "|" + second, "-map", "0", "-c", "copy"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFrameRateHalvedMidStreamIsOneFormatChangeAndNoFrameDrop() {
        CliRun run = CliRun.of("monitor", "--json", rateChange().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> ended = run.ended();
        assertThat(ended)
                .as("the pictures come at the new rate: none is missing")
                .extracting(e -> e.path("type").asText())
                .containsExactly("format_change");
        JsonNode change = ended.get(0);
        assertThat(change.path("details").path("what").asText()).isEqualTo("frameRate");
        assertThat(change.path("details").path("from").asDouble()).isEqualTo(50.0);
        assertThat(change.path("details").path("to").asDouble()).isEqualTo(25.0);
        assertThat(change.path("start").asDouble())
                .as("where the 25 fps pictures begin")
                .isCloseTo(3.0, within(0.1));
        assertThat(change.path("duration").asDouble()).as("an event").isZero();
        assertThat(change.path("severity").asText()).isEqualTo("info");
        assertThat(run.summary().path("defects").path("format_change").asInt()).isEqualTo(1);
        assertThat(run.summary().path("defects").has("frame_drop")).isFalse();
    }

    /** 3 s of MPEG-2 at 50 fps, then 3 s at 25 fps: each part's sequence header declares its own rate. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRateHalvedInANewSequenceThatDeclaresItIsAFormatChange() {
        Path first = part("rate-part-mpeg2-50fps.ts", "640x360", 2, 50, "0", "mpeg2video");
        Path second = part("rate-part-mpeg2-25fps-at3.ts", "640x360", 2, 25, "3", "mpeg2video");
        Path clip = TestMedia.clip(
                "rate-change-mpeg2-50-25.ts",
                List.of("-i", "concat:" + first + "|" + second, "-map", "0", "-c", "copy"));

        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.ended()).extracting(e -> e.path("type").asText()).containsExactly("format_change");
        JsonNode change = run.ended().get(0);
        assertThat(change.path("details").path("to").asDouble()).isEqualTo(25.0);
        assertThat(change.path("start").asDouble()).isCloseTo(3.0, within(0.1));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theFirstFormatIsNoChange() {
        CliRun run = CliRun.of(
                "monitor",
                "--json",
                part("timing-part-640x360.ts", "640x360", "0").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.ended()).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stereoTurningIntoFivePointOneIsOneFormatChangeEvent() {
        Path first = part("timing-part-640x360.ts", "640x360", "0");
        Path second = part("timing-part-640x360-6ch-at3.ts", "640x360", 6, "3");
        Path clip = TestMedia.clip(
                "timing-channels-change.ts",
                List.of("-i", "concat:" + first + "|" + second, "-map", "0", "-c", "copy"));

        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> ended = run.ended();
        assertThat(ended).extracting(e -> e.path("type").asText()).containsExactly("format_change");
        JsonNode change = ended.get(0);
        assertThat(change.path("start").asDouble()).isCloseTo(3.0, within(0.1));
        assertThat(change.path("details").path("what").asText()).isEqualTo("channels");
        assertThat(change.path("details").path("from").asInt()).isEqualTo(2);
        assertThat(change.path("details").path("to").asInt()).isEqualTo(6);
    }
}
