package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.decode.Picture;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the block-edge measure on synthetic luma planes, 8- and 10-bit. */
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
                double v = garbage[cell] ? 30 + 190 * ((cell * 37) % 7) / 6.0
                        : 120 + scene * 10 + 60 * Math.sin((x + 3 * n + scene * 50) / 11.0)
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
                assertThat(meter.damaged(picture(n, 20, depth, 0), n / 25.0)).as("clean picture %d, %d-bit", n, depth)
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
            assertThat(meter.damaged(picture(n, Integer.MAX_VALUE, 8, n < 20 ? 0 : 3), n / 25.0)).isFalse();
        }
    }
}
