package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clips from the corpus generator with seeds of neither the tuning nor the test set, of kinds a detector once failed
 * on: each recipe is one such clip, cut short. Run as in {@link EvalSliceTest}: through {@code bin/monoscope}, scored
 * against the generator's truth.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class UnseenClipsTest {

    private static Scoring.SetScore monitor(Recipe recipe) {
        return SliceScores.monoscope(Evaluation.make(List.of(recipe)).get(0));
    }

    /** The clip's freezes: all {@code count} found, none cut in two (a false freeze beside a found one). */
    private static Scoring.Row freezes(Scoring.SetScore score, int count) {
        Scoring.Row freeze = score.row(Evaluation.MONOSCOPE, Injected.FREEZE);
        assertThat(freeze.found).as("freezes found; missed " + freeze.missed).isEqualTo(count);
        assertThat(freeze.falseAlarms).as("false freezes (a freeze cut in two)").isZero();
        return freeze;
    }

    private static void assertWithinATenth(List<Double> errors, String edge) {
        assertThat(errors)
                .as(edge + " errors (s)")
                .allSatisfy(e -> assertThat(e).isLessThanOrEqualTo(0.1));
    }

    /**
     * Credits rolling at 50 fps, each picture shown twice (2:2) and coded in HEVC: the encoder's noise lifts a
     * repeated picture past the repeat threshold now and then, and the repeats it left out of the count made the rest
     * look irregular: frame drops on three stretches of the 45 s clip.
     */
    @Test
    void creditsInATwoTwoCadenceAreNoFrameDrop() {
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-credits-hevc-50p",
                "slice",
                "credits",
                "cellauto",
                "hevc",
                "mid",
                540,
                50,
                1.0,
                "none",
                "ts",
                45,
                4215920,
                List.of()));
        SliceScores.assertNoFalseAlarm(score);
    }

    /**
     * A test pattern frozen for 4.6 s in HEVC at a low bit rate with a keyframe a second: each keyframe re-encodes the
     * frozen picture, and a few blocks of its fine text differed from before it by just over the local-change limit
     * (8–9 %): the freeze was found a second late, or cut in two.
     */
    @Test
    void aFreezeAcrossKeyframesIsOneFreezeFromItsFirstPicture() {
        List<Injected> freezes =
                List.of(new Injected(Injected.FREEZE, 2.28, 6.92, 0), new Injected(Injected.FREEZE, 9.76, 14.2, 0));
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-freeze-hevc-low",
                "slice",
                "defects",
                "testsrc2",
                "hevc",
                "low",
                540,
                25,
                1.0,
                "none",
                "ts",
                16,
                4202948,
                freezes));
        assertWithinATenth(freezes(score, 2).startErrors, "start");
    }

    /**
     * A cellular automaton at 50 fps frozen for 3.5 s, in H.264 at a starved bit rate with a keyframe every 0.5 s:
     * the pictures between keyframes do not change, but each keyframe re-encodes the frozen picture and moved its
     * block means by up to 6 % (1.2 % on average), more than a keyframe was allowed, so the freeze ended at the last
     * one, 0.12 s early; on a longer clip of the kind (up to 8.7 % and 1.65 %) it was cut into pieces too short to
     * report. Its start is 0.42 s late, and stays so: until the next keyframe the encoder keeps showing an earlier
     * picture, and nothing in the decoded pictures says when the source froze.
     */
    @Test
    void aStarvedEncodersKeyframesInsideAFreezeDoNotEndIt() {
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-freeze-h264-starved-50p",
                "slice",
                "defects",
                "cellauto",
                "h264",
                "starved",
                720,
                50,
                0.5,
                "pre",
                "ts",
                12,
                7100002,
                List.of(new Injected(Injected.FREEZE, 4.08, 7.62, 0))));
        assertWithinATenth(freezes(score, 1).endErrors, "end");
    }

    /**
     * A sharp-edged cellular automaton frozen for 2.64 s in HEVC at a low bit rate with a keyframe every 4 s: the
     * encoder refines the frozen picture in bursts a mini-GOP long (block means moved by 0.7 % of the range on
     * average, then still), which added up to more coding noise than a run may drift by between keyframes, and the
     * run broke about every second: the freeze was missed.
     */
    @Test
    void anEncoderRefiningAFrozenPictureInBurstsDoesNotEndTheFreeze() {
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-freeze-hevc-refined",
                "slice",
                "defects",
                "cellauto",
                "hevc",
                "low",
                540,
                25,
                4.0,
                "none",
                "mp4",
                8,
                9100002,
                List.of(new Injected(Injected.FREEZE, 2.16, 4.80, 0))));
        Scoring.Row freeze = freezes(score, 1);
        assertWithinATenth(freeze.startErrors, "start");
        assertWithinATenth(freeze.endErrors, "end");
    }

    /**
     * A Mandelbrot zoom frozen for 4.7 s, in H.264 at a starved bit rate with a keyframe a second: each keyframe
     * re-codes the detailed frozen picture, and a few of the textured blocks the look for a pan compares then matched
     * best a few pixels off, each its own way (by 20 to 45 %): taken for a pan, the freeze was cut 2 s short (an
     * unseen set's clip, {@code EVAL_SEED=9200000}, cut to its first 26 s: without the defects before the freeze,
     * the encoder codes it otherwise, and it is found).
     */
    @Test
    void aStarvedEncoderReCodingAFrozenDetailedPictureIsNoPan() {
        Injected freeze = new Injected(Injected.FREEZE, 18.84, 23.52, 0);
        List<Injected> defects = List.of(
                new Injected(Injected.FRAME_DROP, 1.56, 4.68, 0.67),
                new Injected(Injected.FRAME_DROP, 7.52, 10.88, 0.67),
                new Injected(Injected.DAMAGE, 15.52, 16.0, 0.04),
                freeze);
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-freeze-mandelbrot-h264-starved",
                "slice",
                "defects",
                "mandelbrot",
                "h264",
                "starved",
                540,
                25,
                1.0,
                "none",
                "hls",
                26,
                9200024,
                defects));
        Scoring.Row found = freezes(score, 1);
        assertWithinATenth(found.startErrors, "start");
        assertWithinATenth(found.endErrors, "end");
    }

    /**
     * A channel bug (44 px) turning on a still cellular automaton, in HEVC at a low bit rate with a keyframe every
     * 0.5 s, as HLS: each keyframe re-encodes the sharp-edged still, and as many of its 16-pixel blocks changed past
     * the local-change limit here and there as the bug changed together, so the bug's change did not count as one
     * element's: the whole 45 s clip it was cut from was reported frozen.
     */
    @Test
    void aChannelBugTurningOnAStillThatKeyframesReEncodeIsNoFreeze() {
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-bug-hevc-low-hls",
                "slice",
                "bug",
                "cellauto",
                "hevc",
                "low",
                540,
                25,
                0.5,
                "none",
                "hls",
                12,
                9503004,
                List.of()));
        SliceScores.assertNoFalseAlarm(score);
    }

    /**
     * A slow zoom over a still cellular automaton in MPEG-2 at a low bit rate: the zoom's crop moves by whole pixels,
     * so the source itself holds a picture now and then and jumps after it (by up to 13 % of the range, sharp-edged
     * cells), and the encoder, short of bits, jumps as far without a hold too. A hold and a jump looked like a picture
     * lost and caught up on: frame drops, three in the 45 s clip this is cut from.
     */
    @Test
    void aSlowZoomThatHoldsAndJumpsIsNoFrameDrop() {
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-zoom-mpeg2-low",
                "slice",
                "zoom",
                "cellauto",
                "mpeg2",
                "low",
                540,
                25,
                2.0,
                "none",
                "ts",
                45,
                9504003,
                List.of()));
        SliceScores.assertNoFalseAlarm(score);
    }

    /**
     * A slow zoom over smooth gradients in HEVC at a low bit rate with a keyframe every 10 s: the encoder holds the
     * picture still for up to 1.3 s at a time, and the block means let the zoom's slow drift through. Looked for
     * only from half a second into a run, the zoom hid in the hold, and behind a keyframe's re-encoding of the
     * picture: two false freezes (2.1 and 2.6 s) in the 45 s clip.
     */
    @Test
    void aSlowZoomOverGradientsThatTheEncoderHoldsIsNoFreeze() {
        Scoring.SetScore score = monitor(new Recipe(
                "unseen-zoom-hevc-low-gradients",
                "slice",
                "zoom",
                "gradients",
                "hevc",
                "low",
                540,
                25,
                10.0,
                "none",
                "ts",
                45,
                9704002,
                List.of()));
        SliceScores.assertNoFalseAlarm(score);
    }
}
