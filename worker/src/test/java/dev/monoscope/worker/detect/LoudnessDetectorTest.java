package dev.monoscope.worker.detect;

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
 * The loudness defect through the real CLI. The clip is a stereo tone mix at -25 LUFS (inside the default window
 * [-33, -18]), turned up 15 dB from 8 to 16 s (-10 LUFS) and down 20 dB from 22 to 32 s (-45 LUFS), AAC in MPEG-TS.
 * Short-term loudness looks 3 s back, so each change shows after a part of that window: it is over -18 once 0.39 s
 * of loud audio is in the window (8.4 s) and until less than that is left (18.6 s); under -33 once under 0.45 s of
 * normal audio is left (24.6 s) and until more is back (32.5 s). Both last over the 5 s minimum. Tolerance 0.3 s
 * (the 100 ms grid, the AAC codec's delay).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoudnessDetectorTest {

    static Path upAndDown() {
        return TestMedia.clip(
                "loudness-up15-down20.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "aevalsrc="
                                + "0.047*sin(2*PI*440*t)+0.024*sin(2*PI*1200*t)*(1+0.5*sin(2*PI*3*t))+0.018*sin(2*PI*3100*t)|"
                                + "0.047*sin(2*PI*550*t)+0.024*sin(2*PI*900*t)+0.018*sin(2*PI*2500*t)*(1+0.5*sin(2*PI*2*t))"
                                + ":s=48000:d=38",
                        "-af",
                        "volume=15dB:enable='between(t,8,16)',volume=-20dB:enable='between(t,22,32)'",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "128k"));
    }

    @Test
    void aLoudAndAQuietStretchAreLoudnessDefectsAtTheirTimes() {
        CliRun run = CliRun.of("monitor", "--json", upAndDown().toString());

        assertThat(run.exitCode()).as(run.stdout()).isIn(0, 1);
        assertThat(run.ended())
                .as(run.stdout())
                .extracting(e -> e.path("type").asText())
                .containsExactly("loudness", "loudness");
        JsonNode loud = run.ended().get(0);
        assertThat(loud.path("details").path("direction").asText()).isEqualTo("loud");
        assertThat(loud.path("details").path("track").asInt()).isEqualTo(1);
        assertThat(loud.path("details").path("shortTermLufs").asDouble()).isBetween(-18.0, -9.0);
        assertThat(loud.path("start").asDouble()).isCloseTo(8.4, within(0.3));
        assertThat(loud.path("end").asDouble()).isCloseTo(18.6, within(0.3));

        JsonNode quiet = run.ended().get(1);
        assertThat(quiet.path("details").path("direction").asText()).isEqualTo("quiet");
        assertThat(quiet.path("details").path("shortTermLufs").asDouble()).isBetween(-46.0, -33.0);
        assertThat(quiet.path("start").asDouble()).isCloseTo(24.6, within(0.3));
        assertThat(quiet.path("end").asDouble()).isCloseTo(32.5, within(0.3));
    }

    @Test
    void theWindowAndMinimumDurationAreConfigurable() {
        // window [-30, -8]: the loud stretch (-10) is inside; short-term is under -30 from 24.1 to 32.9 s (8.8 s)
        CliRun run = CliRun.of(
                "monitor",
                "--json",
                "--loudness-target",
                "-20",
                "--loudness-above",
                "12",
                "--loudness-min-duration",
                "8",
                upAndDown().toString());

        assertThat(run.ended())
                .as(run.stdout())
                .extracting(e -> e.path("type").asText())
                .containsExactly("loudness");
        assertThat(run.ended().get(0).path("details").path("direction").asText())
                .isEqualTo("quiet");
        assertThat(run.ended().get(0).path("start").asDouble()).isCloseTo(24.1, within(0.3));

        // nor with a 9 s minimum
        CliRun longer = CliRun.of(
                "monitor",
                "--json",
                "--loudness-target",
                "-20",
                "--loudness-above",
                "12",
                "--loudness-min-duration",
                "9",
                upAndDown().toString());
        assertThat(longer.ended()).as(longer.stdout()).isEmpty();
    }
}
