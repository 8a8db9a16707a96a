package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.defect.DefectTracker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the picture detectors on synthetic luma planes. */
@Timeout(30)
class PictureDetectorsTest {

    private static final int W = 64;
    private static final int H = 48;
    /** The size of the freeze tests' textured pictures. */
    private static final int TW = 256;

    private static final int TH = 144;

    /** An 8-bit plane filled with {@code value}, plus {@code brightShare} of its samples at 200. */
    private static Picture plane(int value, double brightShare, boolean fullRange, double pts) {
        ByteBuffer b = ByteBuffer.allocate(W * H);
        int bright = (int) Math.round(W * H * brightShare);
        for (int i = 0; i < W * H; i++) {
            b.put(i, (byte) (i % 100 < brightShare * 100 && bright-- > 0 ? 200 : value));
        }
        return Picture.ofLuma(b, W, H, W, 8, fullRange, pts);
    }

    @Test
    void blackFollowsBlackdetectThresholdsInLimitedAndFullRange() {
        BlackDetector d = new BlackDetector(0.98, 0.10, 0);
        // limited range: black at or under 16 + 0.1 * 219 = 37.9
        assertThat(d.isBlack(plane(16, 0, false, 0))).isTrue();
        assertThat(d.isBlack(plane(37, 0, false, 0))).isTrue();
        assertThat(d.isBlack(plane(38, 0, false, 0))).isFalse();
        // full range: at or under 25.5
        assertThat(d.isBlack(plane(25, 0, true, 0))).isTrue();
        assertThat(d.isBlack(plane(30, 0, true, 0))).isFalse();
        // 98% of the samples must be black: a small logo is fine, a larger one is not
        assertThat(d.isBlack(plane(16, 0.01, false, 0))).isTrue();
        assertThat(d.isBlack(plane(16, 0.05, false, 0))).isFalse();
    }

    @Test
    void blackUnderstandsTenBitSamples() {
        ByteBuffer b = ByteBuffer.allocate(W * H * 2);
        for (int i = 0; i < W * H; i++) {
            b.putShort(i * 2, Short.reverseBytes((short) 100)); // little-endian 100 of 1023: limited black is <= 151
        }
        assertThat(new BlackDetector(0.98, 0.10, 0).isBlack(Picture.ofLuma(b, W, H, W * 2, 10, false, 0)))
                .isTrue();
        for (int i = 0; i < W * H; i++) {
            b.putShort(i * 2, Short.reverseBytes((short) 400));
        }
        assertThat(new BlackDetector(0.98, 0.10, 0).isBlack(Picture.ofLuma(b, W, H, W * 2, 10, false, 0)))
                .isFalse();
    }

    @Test
    void freezeSurvivesEncoderNoiseAndARefreshButNotMotion() {
        List<Defect> ended = new ArrayList<>();
        DefectTracker tracker = tracker(ended);
        int w = 256;
        int h = 144;
        FreezeDetector d = new FreezeDetector(0.001, 0);
        Random rnd = new Random(1);
        byte[] still = new byte[w * h];
        rnd.nextBytes(still);
        double t = 0;
        // 1 s of motion (a bright box crossing the texture), 3 s frozen with sparse noise and a refresh at 2 s,
        // 1 s of motion; 25 fps
        for (int i = 0; i < 125; i++, t += 0.04) {
            byte[] b = still.clone();
            if (i < 25 || i >= 100) {
                drawCrossingBox(b, w, i);
            } else {
                b[rnd.nextInt(w * h)] = (byte) (still[0] + 1); // one sample off: encoder noise
                if (i >= 50) {
                    for (int k = 0; k < w * h; k += 4) { // a keyframe refresh: a small change everywhere, kept
                        b[k] = (byte) (still[k] + 3);
                    }
                }
            }
            d.picture(Picture.ofLuma(ByteBuffer.wrap(b), w, h, w, 8, true, t), t, tracker);
        }
        tracker.finish(t);
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).type).isEqualTo("freeze");
        assertThat(ended.get(0).start).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(ended.get(0).end).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void freezeIgnoresGrainButNotOneSmallMovingBox() {
        int w = 320;
        int h = 180;
        Random rnd = new Random(2);
        byte[] still = new byte[w * h];
        for (int i = 0; i < still.length; i++) {
            still[i] = (byte) (60 + (i % w) / 3);
        }
        // 4 s of the still picture with fresh grain on every picture: frozen
        List<Defect> grainy = new ArrayList<>();
        DefectTracker grainTracker = tracker(grainy);
        FreezeDetector d = new FreezeDetector(0.001, 0);
        double t = 0;
        for (int i = 0; i < 100; i++, t += 0.04) {
            byte[] b = still.clone();
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) Math.max(0, Math.min(255, (b[k] & 0xff) + (int) Math.round(rnd.nextGaussian() * 12)));
            }
            d.picture(Picture.ofLuma(ByteBuffer.wrap(b), w, h, w, 8, true, t), t, grainTracker);
        }
        grainTracker.finish(t);
        assertThat(grainy).extracting(x -> x.type).containsExactly("freeze");
        // the same still with one 12 x 12 box moving 1 pixel per picture: not frozen
        List<Defect> moving = new ArrayList<>();
        DefectTracker movingTracker = tracker(moving);
        FreezeDetector m = new FreezeDetector(0.001, 0);
        t = 0;
        for (int i = 0; i < 100; i++, t += 0.04) {
            byte[] b = still.clone();
            for (int y = 80; y < 92; y++) {
                for (int x = 20 + i; x < 32 + i; x++) {
                    b[y * w + x] = (byte) 240;
                }
            }
            m.picture(Picture.ofLuma(ByteBuffer.wrap(b), w, h, w, 8, true, t), t, movingTracker);
        }
        movingTracker.finish(t);
        assertThat(moving).isEmpty();
    }

    @Test
    void aFreezeWhoseRunStartedOnePictureEarlyOutlastsTheCodingNoiseThatFollows() {
        byte[] still = texture(3);
        // 2 s of motion; one picture of slow motion 1.5 levels from the still (a run starts there); the still from
        // 2.04 s, refined by 0.5 level from 3.2 s on (2 levels from the slow-motion picture); motion from 6 s
        List<Defect> ended = freezesBetweenMotion(still, (b, i) -> {
            if (i == 50) {
                for (int k = 0; k < b.length; k += 4) {
                    b[k] = (byte) (still[k] + 6);
                }
            } else if (i >= 80) {
                for (int k = 0; k < b.length; k += 2) {
                    b[k] = (byte) (still[k] - 1);
                }
            }
        });
        assertOneFreeze(ended, 2.04, 6.0);
    }

    @Test
    void aFreezeStartsWhereTheSlowMotionBeforeItStopped() {
        byte[] still = texture(5);
        // 2 s of motion; four pictures of slow motion settling into the still, 0.4 level a picture (each within the
        // block means' limits of the first); the still from 2.16 s; motion from 6 s
        List<Defect> ended = freezesBetweenMotion(still, (b, i) -> {
            if (i < 54) {
                for (int k = 0; k < b.length; k += 5) {
                    b[k] = (byte) (still[k] + 2 * (54 - i));
                }
            }
        });
        assertOneFreeze(ended, 2.16, 6.0);
    }

    @Test
    void aFrozenPictureAnEncoderRefinesInBurstsIsOneFreeze() {
        byte[] still = texture(11);
        // the still from 2 s to 6 s, refined twice (3.4 s and 4.7 s) in a burst of four pictures that lifts every
        // other sample by a level each: 0.8 % of the range on average, more coding noise than a run may drift by,
        // and still again after; the run broke at each burst into pieces too short to report
        List<Defect> ended = freezesBetweenMotion(still, (b, i) -> {
            liftEveryOtherSample(b, still, Math.min(4, Math.max(0, i - 84)) + Math.min(4, Math.max(0, i - 116)));
        });
        assertOneFreeze(ended, 2.0, 6.0);
    }

    @Test
    void aFrozenPictureThatKeepsChangingAllOverEndsTheFreezeWhereTheChangeBegan() {
        byte[] still = texture(13);
        // the still from 2 s; from 4 s every other sample rises by a level a picture (a slow fade) and never stops:
        // the change is no refinement, and the freeze ends where it went past coding noise (the fourth picture)
        List<Defect> ended = freezesBetweenMotion(still, (b, i) -> {
            liftEveryOtherSample(b, still, Math.max(0, i - 99));
        });
        assertOneFreeze(ended, 2.0, 4.12);
    }

    @Test
    void noFreezeThroughTenSecondsWithoutPictures() {
        byte[] still = texture(7);
        List<Defect> ended = new ArrayList<>();
        DefectTracker tracker = tracker(ended);
        FreezeDetector d = new FreezeDetector(0.001, 0);
        // motion, the still for 0.5 s, no picture for 9.5 s (a decoder waiting for a keyframe after damage), the
        // same still again for 0.5 s, motion
        double t = 0;
        for (int i = 0; i < 125; i++, t = i * 0.04 + (i >= 63 ? 9.5 : 0)) {
            byte[] b = still.clone();
            if (i < 50 || i >= 75) {
                drawCrossingBox(b, TW, i);
            }
            d.picture(Picture.ofLuma(ByteBuffer.wrap(b), TW, TH, TW, 8, true, t), t, tracker);
        }
        tracker.finish(t);
        assertThat(ended).as("freezes").isEmpty();
    }

    /** The only defect ended is a freeze from {@code start} to {@code end}. */
    private static void assertOneFreeze(List<Defect> ended, double start, double end) {
        assertThat(ended).extracting(x -> x.type).containsExactly("freeze");
        assertThat(ended.get(0).start).isCloseTo(start, org.assertj.core.data.Offset.offset(0.001));
        assertThat(ended.get(0).end).isCloseTo(end, org.assertj.core.data.Offset.offset(0.001));
    }

    /** Every other sample of {@code b} is {@code still}'s lifted by {@code lift} levels. */
    private static void liftEveryOtherSample(byte[] b, byte[] still, int lift) {
        for (int k = 0; k < b.length; k += 2) {
            b[k] = (byte) (still[k] + lift);
        }
    }

    /** A still picture of random texture, TW × TH. */
    private static byte[] texture(long seed) {
        Random rnd = new Random(seed);
        byte[] still = new byte[TW * TH];
        for (int k = 0; k < still.length; k++) {
            still[k] = (byte) (40 + rnd.nextInt(170));
        }
        return still;
    }

    /**
     * The freezes found in 7 s of pictures 0.04 s apart: a box crossing {@code still} for 2 s and again from 6 s, and
     * between them {@code still} as {@code between} changes it for picture i (50 to 149).
     */
    private static List<Defect> freezesBetweenMotion(byte[] still, ObjIntConsumer<byte[]> between) {
        List<Defect> ended = new ArrayList<>();
        DefectTracker tracker = tracker(ended);
        FreezeDetector d = new FreezeDetector(0.001, 0);
        double t = 0;
        for (int i = 0; i < 175; i++, t += 0.04) {
            byte[] b = still.clone();
            if (i < 50 || i >= 150) {
                drawCrossingBox(b, TW, i);
            } else {
                between.accept(b, i);
            }
            d.picture(Picture.ofLuma(ByteBuffer.wrap(b), TW, TH, TW, 8, true, t), t, tracker);
        }
        tracker.finish(t);
        return ended;
    }

    /** A bright 32 x 32 box crossing the picture, where picture {@code i} shows it. */
    private static void drawCrossingBox(byte[] plane, int w, int i) {
        int x0 = (i * 8) % (w - 32);
        for (int y = 40; y < 72; y++) {
            for (int x = x0; x < x0 + 32; x++) {
                plane[y * w + x] = (byte) 250;
            }
        }
    }

    /** A tracker with the default minimum durations of black and freeze (2 s) that keeps the defects ended. */
    static DefectTracker tracker(List<Defect> ended) {
        DefectListener l = new DefectListener() {
            @Override
            public void defectStarted(Defect defect) {}

            @Override
            public void defectEnded(Defect defect) {
                ended.add(defect);
            }
        };
        return new DefectTracker("test", List.of(l), Map.of(DefectType.FREEZE, 2.0, DefectType.BLACK, 2.0), Map.of());
    }
}
