package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.decode.Picture;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the block-edge and stall measures on synthetic luma planes, 8- and 10-bit. */
@Timeout(30)
class BlockArtifactMeterTest {

    private static final int W = 320;
    private static final int H = 192;

    /**
     * Smooth moving content (nothing on the coding grid), 25 fps; from {@code garbageFrom} on, 15 cells hold flat
     * blocks of the wrong brightness (a small share of the picture: a change of most of it is a cut), as macroblocks predicted from a damaged picture do.
     */
    private static Picture picture(int n, int garbageFrom, int bitDepth, int scene) {
        int bytes = bitDepth > 8 ? 2 : 1;
        ByteBuffer b = ByteBuffer.allocate(W * H * bytes);
        Random cells = new Random(7);
        boolean[] garbage = new boolean[(W / 16) * (H / 16)];
        for (int i = 0; i < 15 && n >= garbageFrom; i++) {
            garbage[cells.nextInt(garbage.length)] = true;
        }
        int scale = 1 << (bitDepth - 8);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int cell = (y / 16) * (W / 16) + x / 16;
                double v = garbage[cell]
                        ? 30 + 190 * ((cell * 37) % 7) / 6.0
                        : 120
                                + scene * 10
                                + 60 * Math.sin((x + 3 * n + scene * 50) / 11.0)
                                + 40 * Math.cos((y - 2 * n) / (7.0 + scene));
                int s = (int) Math.round(Math.max(0, Math.min(255, v)) * scale);
                if (bytes == 1) {
                    b.put(y * W + x, (byte) s);
                } else {
                    b.put((y * W + x) * 2, (byte) s);
                    b.put((y * W + x) * 2 + 1, (byte) (s >> 8));
                }
            }
        }
        return Picture.ofLuma(b, W, H, W * bytes, bitDepth, false, n / 25.0);
    }

    @Test
    void flagsGarbageBlocksAfterTheLevelIsSetIn8And10Bit() {
        for (int depth : new int[] {8, 10}) {
            BlockArtifactMeter meter = new BlockArtifactMeter();
            for (int n = 0; n < 20; n++) {
                assertThat(meter.damaged(picture(n, 20, depth, 0), n / 25.0))
                        .as("clean picture %d, %d-bit", n, depth)
                        .isFalse();
            }
            int flagged = 0;
            for (int n = 20; n < 30; n++) {
                if (meter.damaged(picture(n, 20, depth, 0), n / 25.0)) {
                    flagged++;
                }
            }
            // confirmed from the third damaged picture on
            assertThat(flagged).as("%d-bit", depth).isEqualTo(10 - (BlockArtifactMeter.CONFIRM - 1));
        }
    }

    @Test
    void aSceneCutTakesANewLevelInsteadOfRaising() {
        BlockArtifactMeter meter = new BlockArtifactMeter();
        for (int n = 0; n < 40; n++) {
            // a cut at 20 to a brighter, differently textured scene
            assertThat(meter.damaged(picture(n, Integer.MAX_VALUE, 8, n < 20 ? 0 : 3), n / 25.0))
                    .isFalse();
        }
    }

    /**
     * A concealed or frozen picture: the first cell row shows picture {@code n} (decoded before the damage, or a
     * ticker), the rest still shows picture {@code still} (copied over what was lost); with {@code exact}, all of it.
     */
    private static Picture stalled(int n, int still, boolean exact) {
        Picture now = moving(n);
        Picture before = moving(still);
        ByteBuffer b = ByteBuffer.allocate(W * H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                b.put(y * W + x, (byte) (y < 16 && !exact ? now.luma(x, y) : before.luma(x, y)));
            }
        }
        return Picture.ofLuma(b, W, H, W, 8, false, n / 25.0);
    }

    /** Smooth content panning slowly (a pixel a picture), 8-bit. */
    private static Picture moving(int n) {
        ByteBuffer b = ByteBuffer.allocate(W * H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                b.put(y * W + x, (byte) Math.round(120 + 60 * Math.sin((x + n) / 9.0) + 40 * Math.cos(y / 7.0)));
            }
        }
        return Picture.ofLuma(b, W, H, W, 8, false, n / 25.0);
    }

    /** Runs moving content with the given pictures stalled (concealed) or frozen; returns the flagged ones. */
    private static List<Integer> flagged(IntFunction<Picture> source, int count) {
        BlockArtifactMeter meter = new BlockArtifactMeter();
        List<Integer> flagged = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            if (meter.damaged(source.apply(n), n / 25.0)) {
                flagged.add(n);
                assertThat(meter.beganBefore()).as("picture %d", n).isEqualTo(n == 21);
            }
        }
        return flagged;
    }

    @Test
    void aConcealedPictureInMovingContentIsDamageFromThatPictureOn() {
        // one picture mostly stalled, then motion resumes from that picture: the content stays a picture behind
        assertThat(flagged(n -> n < 20 ? moving(n) : n == 20 ? stalled(n, 19, false) : moving(n - 1), 30))
                .containsExactly(21);
    }

    @Test
    void aRepeatedPictureOrAFreezeIsNoDamage() {
        // an exact repeat (frame-rate conversion): nothing moved at all
        assertThat(flagged(n -> n == 20 ? stalled(n, 19, true) : moving(n), 30)).isEmpty();
        // a repeated picture with a little of it coded anew: the content catches up by two steps after it
        assertThat(flagged(n -> n == 20 ? stalled(n, 19, false) : moving(n), 30))
                .isEmpty();
        // a cadence: every other picture repeated (with a little coded anew), without catching up
        assertThat(flagged(n -> n % 2 == 1 ? stalled(n, n - 1, false) : moving(n), 40))
                .isEmpty();
        // a freeze of five pictures with the first cell row still moving (a ticker), then motion again
        assertThat(flagged(n -> n >= 20 && n < 25 ? stalled(n, 19, false) : moving(n), 35))
                .isEmpty();
    }
}
