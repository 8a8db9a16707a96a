package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clipping: a tone mix pushed 20 dB into a hard limit from 3 to 6 s is found, in 16-bit PCM and after AC-3; the same mix
 * with a 100 Hz sine peaking at -0.5 dBFS there instead (long runs of samples near, not at, full scale) is not.
 * Loudness is switched off: a 3 s stretch at -3 LUFS is a loudness defect too, which is not what is tested here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClippingDetectorTest {

    private static final String MIX = "0.3*sin(2*PI*440*t)+0.2*sin(2*PI*1320*t)";

    private static List<String> clipped(String codec) {
        return List.of(
                "-f",
                "lavfi",
                "-i",
                "aevalsrc=" + MIX + "|" + MIX + ":s=48000:d=10",
                "-af",
                "volume=20dB:enable='between(t,3,6)':precision=float,asoftclip=type=hard",
                "-c:a",
                codec);
    }

    @Test
    void aHardClippedStretchIsClippingInPcm() {
        Path clip = TestMedia.clip("clipping-hard-3-6.wav", clipped("pcm_s16le"));
        assertClippedFrom3To6(CliRun.of("monitor", "--json", "--disable", "loudness", clip.toString()));
    }

    /**
     * AC-3 in MPEG-TS, as broadcast: its float decoder returns the clipped tops over full scale (up to +0.26 dB).
     * (FFmpeg's own AAC encoder is no good here: it can return such a stretch with its tops at 0.95, -0.45 dBFS.)
     */
    @Test
    void aHardClippedStretchIsClippingAfterAc3() {
        Path clip = TestMedia.clip(
                "clipping-hard-3-6-ac3.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "aevalsrc=" + MIX + "|" + MIX + ":s=48000:d=10",
                        "-af",
                        "volume=20dB:enable='between(t,3,6)':precision=float,asoftclip=type=hard",
                        "-c:a",
                        "ac3",
                        "-b:a",
                        "192k"));
        assertClippedFrom3To6(CliRun.of("monitor", "--json", "--disable", "loudness", clip.toString()));
    }

    private static void assertClippedFrom3To6(CliRun run) {
        assertThat(run.ended())
                .as(run.stdout())
                .extracting(e -> e.path("type").asText())
                .containsExactly("clipping");
        JsonNode d = run.ended().get(0);
        assertThat(d.path("start").asDouble()).isCloseTo(3.0, within(0.1));
        assertThat(d.path("end").asDouble()).isCloseTo(6.0, within(0.1));
        assertThat(d.path("details").path("track").asInt()).isEqualTo(1);
        assertThat(d.path("details").path("channels").toString()).isEqualTo("[1,2]");
        assertThat(d.path("severity").asText()).isEqualTo("minor");
    }

    @Test
    void loudButUnclippedAudioIsNotClipping() {
        Path clip = TestMedia.clip(
                "clipping-none-loud-0.5dB.wav",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "aevalsrc=if(between(t\\,3\\,6)\\,0.944*sin(2*PI*100*t)\\," + MIX + ")"
                                + "|if(between(t\\,3\\,6)\\,0.944*sin(2*PI*100*t)\\," + MIX + "):s=48000:d=10",
                        "-c:a",
                        "pcm_s16le"));
        CliRun run = CliRun.of("monitor", "--json", "--disable", "loudness", clip.toString());
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(run.ended()).as(run.stdout()).isEmpty();
    }

    @Test
    void aPlaceIsThreeSamplesAtFullScaleAndClippingTenPlacesInASecond() {
        List<Defect> raised = new ArrayList<>();
        DefectTracker tracker = new DefectTracker(
                "test",
                List.of(new DefectListener() {
                    @Override
                    public void defectStarted(Defect d) {
                        raised.add(d);
                    }

                    @Override
                    public void defectEnded(Defect d) {}
                }),
                Map.of(),
                Map.of());
        ClippingDetector d = new ClippingDetector(3, 10);
        // 1 s at 1 kHz: runs of 2 full-scale samples, 150 times: no place at all
        d.audio(block(0, 2, 150, 1000), 0, tracker);
        // runs of 3 (every other one at -1), but only 9 of them in the next second
        d.audio(block(1000, 3, 9, 1000), 1, tracker);
        assertThat(raised).isEmpty();
        // 10 places within a second, from 3 s
        d.audio(block(3000, 3, 10, 100), 3, tracker);
        assertThat(raised).extracting(x -> x.type).containsExactly(DefectType.CLIPPING.id());
        assertThat(raised.get(0).start).isCloseTo(3.0, within(0.001));
        assertThat(raised.get(0).details).containsEntry("channels", List.of(1));
    }

    /** {@code n} samples at 1 kHz on channel 1, with {@code places} runs of {@code run} full-scale samples, 5 ms apart. */
    private static AudioBlock block(int first, int run, int places, int n) {
        float[] left = new float[n];
        float[] right = new float[n];
        for (int p = 0; p < places; p++) {
            for (int i = 0; i < run; i++) {
                int at = p * 5 + i;
                left[at] = p % 2 == 0 ? 1.0f : -1.0f;
            }
        }
        return AudioBlock.of(1, 1000, first / 1000.0, new float[][] {left, right});
    }
}
