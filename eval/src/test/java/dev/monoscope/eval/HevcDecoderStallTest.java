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
 * Damage after which FFmpeg's HEVC decoder hands out no picture until the next keyframe: one damaged P-picture of an
 * x265 encode with a 10 s GOP breaks the reference picture set of every picture after it ("Could not find ref with
 * POC", "Error constructing the frame RPS"), and the decoder skips them: 7.7 s without a picture. The
 * {@code corruption} defect must be one, from where the pictures stop (the damaged picture, or a B-picture shown
 * before it and predicted from it) to the keyframe. It once began 2.4 s before the keyframe, as far back as the
 * pictures never handed out were remembered when the keyframe came; and once the loss was known as it happened, the
 * pictures the decoder had held back and handed out with the keyframe split the defect in two. A stall of over 10 s
 * (a 13 s GOP) once went on to the end of the clip: the picture held back through it, and one found lost when the
 * keyframe passed it, were taken for a jump of the clock back by more than 10 s, and the clock moved.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HevcDecoderStallTest {

    /** The damaged picture, by decode order. */
    private static final int DAMAGED = 58;
    /** Where it shows, on the media clock (25 fps, as probed). */
    private static final double SHOWN = 2.32;

    private static final double NEXT_KEYFRAME = 10.0;

    private static Path clip;
    /** 15 s, a keyframe every 13 s, damage at picture 66 (2.6 s): the decoder hands out nothing for 10.4 s. */
    private static Path longStall;

    @BeforeAll
    static void makeClips() throws IOException {
        clip = DamagedHevc.clip("hevc-decoder-stall-v1.ts", 12, 250, "eq(n," + DAMAGED + ")");
        longStall = DamagedHevc.clip("hevc-decoder-stall-13s-v1.ts", 15, 325, "eq(n,66)");
    }

    @Test
    void theDecoderHandsOutNoPictureUntilTheKeyframe() throws IOException {
        Path log = clip.resolveSibling(clip.getFileName() + ".ffmpeg.txt");
        Ffmpeg.run("ffmpeg", List.of("-i", clip.toString(), "-f", "null", "-"), log, false, 60);
        String printed = Files.readString(log);
        assertThat(printed).as("what FFmpeg's decoder printed").contains("Error constructing the frame RPS");
        assertThat(printed).as("pictures FFmpeg decoded of 300").containsPattern("frame= *1[0-9]{2} ");
    }

    @Test
    void theDamageIsOneCorruptionFromWherePicturesStopToTheKeyframe() {
        List<Truth> corruption = DamagedHevc.corruption(clip, 12);
        assertThat(corruption).as("corruption defects").hasSize(1);
        assertThat(corruption.get(0).start()).as("start").isBetween(SHOWN - 0.2, SHOWN + 0.01);
        assertThat(corruption.get(0).end()).as("end").isBetween(NEXT_KEYFRAME - 0.01, NEXT_KEYFRAME + 0.05);
        assertThat(DamagedHevc.printed(clip))
                .as("what monoscope printed: the stream's clock went on, its decoder lost the pictures")
                .doesNotContain("timestamps jumped");
    }

    @Test
    void aStallOfOverTenSecondsEndsAtTheKeyframeToo() {
        List<Truth> corruption = DamagedHevc.corruption(longStall, 15);
        assertThat(corruption).as("corruption defects").hasSize(1);
        assertThat(corruption.get(0).start()).as("start").isBetween(2.4, 2.61);
        assertThat(corruption.get(0).end())
                .as("end: the keyframe, not the clip's")
                .isBetween(12.99, 13.05);
        assertThat(DamagedHevc.printed(longStall)).doesNotContain("timestamps jumped");
    }
}
