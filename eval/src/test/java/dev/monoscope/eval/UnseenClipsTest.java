package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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
        ClipMaker.Label label = Evaluation.make(List.of(recipe)).get(0);
        return Evaluation.evaluate(List.of(label), List.of(Evaluation.MONOSCOPE))
                .get("slice");
    }

    private static Recipe recipe(
            String name,
            String scene,
            String source,
            String codec,
            String tier,
            int height,
            int fps,
            String grain,
            double duration,
            long seed,
            List<Injected> defects) {
        return new Recipe(
                name, "slice", scene, source, codec, tier, height, fps, 1.0, grain, "ts", duration, seed, defects);
    }

    /**
     * Credits rolling at 50 fps, each picture shown twice (2:2) and coded in HEVC: the encoder's noise lifts a
     * repeated picture past the repeat threshold now and then, and the repeats it left out of the count made the rest
     * look irregular: frame drops on three stretches of the 45 s clip.
     */
    @Test
    void creditsInATwoTwoCadenceAreNoFrameDrop() {
        Scoring.SetScore score = monitor(recipe(
                "unseen-credits-hevc-50p",
                "credits",
                "cellauto",
                "hevc",
                "mid",
                540,
                50,
                "none",
                45,
                4215920,
                List.of()));
        score.rows
                .getOrDefault(Evaluation.MONOSCOPE, Map.of())
                .forEach((type, row) -> assertThat(row.falseAlarms)
                        .as("false " + type + " alarms")
                        .isZero());
    }

    /**
     * A test pattern frozen for 4.6 s in HEVC at a low bit rate with a keyframe a second: each keyframe re-encodes the
     * frozen picture, and a few blocks of its fine text differed from before it by just over the local-change limit
     * (8–9 %): the freeze was found a second late, or cut in two.
     */
    @Test
    void aFreezeAcrossKeyframesIsOneFreezeFromItsFirstPicture() {
        Scoring.SetScore score = monitor(recipe(
                "unseen-freeze-hevc-low",
                "defects",
                "testsrc2",
                "hevc",
                "low",
                540,
                25,
                "none",
                16,
                4202948,
                List.of(new Injected(Injected.FREEZE, 2.28, 6.92, 0), new Injected(Injected.FREEZE, 9.76, 14.2, 0))));
        Scoring.Row freeze = score.row(Evaluation.MONOSCOPE, Injected.FREEZE);
        assertThat(freeze.found).as("freezes found; missed " + freeze.missed).isEqualTo(2);
        assertThat(freeze.falseAlarms).as("false freezes (a freeze cut in two)").isZero();
        assertThat(freeze.startErrors)
                .as("start errors (s)")
                .allSatisfy(e -> assertThat(e).isLessThanOrEqualTo(0.1));
    }
}
