package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.defect.DefectTracker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tier 1: the freeze detector on a slow zoom over a smooth picture, 25 pictures a second: the zoom moves the picture's
 * corners by 0.15 pixel a picture, which the block means let through, and a starved encoder may hold such a zoom
 * still for a second or more at a time.
 */
@Timeout(30)
class FreezeOnSlowZoomTest {

    private static final int W = 320;
    private static final int H = 180;
    /** The zoom a picture adds: 0.15 pixel at the corners. */
    private static final double STEP = 0.15 / Math.hypot(W / 2.0, H / 2.0);

    @Test
    void aSlowZoomThatAnEncoderHoldsForUnderTheMinimumIsNoFreeze() {
        // the zoom for 0.5 s, held 1.56 s (pictures 13 to 51), on from 2.08 s: the hold begins before the run is
        // half a second old, so a picture taken from there to look for motion showed none until the run was 2 s long
        List<Defect> ended = freezes(i -> STEP * (i < 13 ? i : i < 52 ? 13 : i - 39), 100);
        assertThat(ended).as("freezes").isEmpty();
    }

    @Test
    void aFreezeAfterASlowZoomStartsAtItsFirstFrozenPicture() {
        // a zoom of 6 pixels a picture for 1 s, a last step of 2.85 pixels (picture 26), that held 3 s, then a fast
        // zoom
        // from 4.08 s: the run starts on picture 25, the zoom's last, which the frozen ones stay close to in block
        // means
        List<Defect> ended = freezes(i -> STEP * (i <= 25 ? 40 * i : i < 102 ? 1019 : 1200 + 7 * (i - 102)), 140);
        assertThat(ended).extracting(d -> d.type).containsExactly("freeze");
        assertThat(ended.get(0).start).as("start").isCloseTo(1.04, within(0.1));
        assertThat(ended.get(0).end).as("end").isCloseTo(4.08, within(0.1));
    }

    /** The freezes found in {@code count} pictures of the smooth picture zoomed by {@code zoom} of picture i. */
    private static List<Defect> freezes(IntToDoubleFunction zoom, int count) {
        List<Defect> ended = new ArrayList<>();
        DefectTracker tracker = PictureDetectorsTest.tracker(ended);
        FreezeDetector d = new FreezeDetector(0.001, 0);
        double t = 0;
        for (int i = 0; i < count; i++, t = i * 0.04) {
            d.picture(zoomed(1 + zoom.applyAsDouble(i), t), t, tracker);
        }
        tracker.finish(t);
        return ended;
    }

    /** A smooth picture (waves 300 and 220 pixels long, ±40 levels) zoomed about its centre by {@code z}. */
    private static Picture zoomed(double z, double t) {
        byte[] b = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double u = (x - W / 2.0) / z + W / 2.0;
                double v = (y - H / 2.0) / z + H / 2.0;
                double luma = 120 + 40 * Math.sin(2 * Math.PI * u / 300) * Math.cos(2 * Math.PI * v / 220);
                b[y * W + x] = (byte) Math.round(luma);
            }
        }
        return Picture.ofLuma(ByteBuffer.wrap(b), W, H, W, 8, false, t);
    }
}
