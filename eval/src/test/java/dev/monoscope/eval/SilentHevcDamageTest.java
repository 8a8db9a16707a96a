package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bitstream damage FFmpeg's HEVC decoder neither flags, conceals nor logs: the damaged slices' entropy decoding ends
 * early and leaves the rest of the picture undecoded. Two P-pictures of an x265 encode (one thread: the same bits
 * every time) are damaged, each in its own GOP; FFmpeg prints not a line about either, and each must still be a
 * {@code corruption} defect from the damaged picture (or a B-picture shown before it and predicted from it) to the
 * next keyframe.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SilentHevcDamageTest {

    /** The damaged pictures, by decode order; keyframes every 2 s, so that each damage is a defect of its own. */
    private static final int[] DAMAGED = {30, 120};
    /** Where the damaged pictures show, on the media clock (25 fps, as probed). */
    private static final double[] SHOWN = {1.20, 4.76};

    private static final double[] NEXT_KEYFRAME = {2.0, 6.0};

    private static Path clip;

    @BeforeAll
    static void makeClip() throws IOException {
        clip = DamagedHevc.clip("silent-hevc-damage-v2.ts", 8, 50, "eq(n," + DAMAGED[0] + ")+eq(n," + DAMAGED[1] + ")");
    }

    @Test
    void ffmpegSaysNothingAboutTheDamage() throws IOException {
        Path log = clip.resolveSibling(clip.getFileName() + ".ffmpeg.txt");
        Ffmpeg.run("ffmpeg", List.of("-loglevel", "error", "-i", clip.toString(), "-f", "null", "-"), log, false, 60);
        assertThat(Files.readString(log)).as("what FFmpeg's decoder printed").isBlank();
    }

    @Test
    void eachDamagedPictureIsCorruptionUntilTheNextKeyframe() {
        List<Truth> corruption = DamagedHevc.corruption(clip, 8);
        assertThat(corruption).as("corruption defects").hasSize(DAMAGED.length);
        for (int i = 0; i < DAMAGED.length; i++) {
            Truth found = corruption.get(i);
            assertThat(found.start()).as("start of damage %d", i).isBetween(SHOWN[i] - 0.2, SHOWN[i] + 0.01);
            assertThat(found.end())
                    .as("end of damage %d", i)
                    .isBetween(NEXT_KEYFRAME[i] - 0.01, NEXT_KEYFRAME[i] + 0.05);
        }
    }
}
