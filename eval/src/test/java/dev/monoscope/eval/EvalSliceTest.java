package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A slice of the accuracy evaluation in {@code make test}: a few short clips from the same generator, through
 * {@code bin/monoscope monitor --json} as users run it. Asserts recall and no false alarm of any type; the full
 * tables are {@code make eval}'s report, never assertions.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EvalSliceTest {

    private static final List<String> EVERY_TYPE = List.of(
            Injected.BLACK,
            Injected.FREEZE,
            Injected.SILENCE,
            Injected.DAMAGE,
            Injected.LOUDNESS,
            Injected.CLIPPING,
            Injected.FRAME_DROP);

    private static Map<String, ClipMaker.Label> labels;

    @BeforeAll
    static void makeSlice() {
        labels = new java.util.TreeMap<>();
        Evaluation.make(Corpus.slice()).forEach(l -> labels.put(l.recipe().name(), l));
    }

    private static Scoring.SetScore monitor(String clip) {
        ClipMaker.Label label = labels.get(clip);
        assertThat(label).as(clip).isNotNull();
        return SliceScores.monoscope(label);
    }

    private static void assertFound(Scoring.SetScore score, List<String> types) {
        for (String type : types) {
            Scoring.Row row = score.row(Evaluation.MONOSCOPE, type);
            assertThat(row.truths).as(type + " injected").isPositive();
            assertThat(row.found).as(type + " found; missed " + row.missed).isEqualTo(row.truths);
        }
    }

    @Test
    void cleanEncodeEveryInjectedDefectFoundAndNothingElse() {
        Scoring.SetScore score = monitor("slice-h264-clean");
        assertFound(score, EVERY_TYPE);
        SliceScores.assertNoFalseAlarm(score);
    }

    @Test
    void starvedGrainyEncodeEveryDefectButTheFreezeFoundAndNothingElse() {
        Scoring.SetScore score = monitor("slice-h264-starved-grain");
        assertFound(
                score,
                List.of(
                        Injected.BLACK,
                        Injected.SILENCE,
                        Injected.DAMAGE,
                        Injected.LOUDNESS,
                        Injected.CLIPPING,
                        Injected.FRAME_DROP));
        assertThat(score.row(Evaluation.MONOSCOPE, Injected.DAMAGE).falseAlarms).isZero();
    }

    @Test
    void starvedGrainyEncodeFreezeFound() {
        Scoring.SetScore score = monitor("slice-h264-starved-grain");
        assertFound(score, List.of(Injected.FREEZE));
        SliceScores.assertNoFalseAlarm(score);
    }

    @Test
    void hevcEncodeEveryInjectedDefectFoundAndNothingElse() {
        // HEVC's decoder neither conceals nor flags damage: the damaged slices end early and leave areas undecoded,
        // which only the marked frame buffers show (UndecodedAreas)
        Scoring.SetScore score = monitor("slice-hevc-low");
        assertFound(score, EVERY_TYPE);
        SliceScores.assertNoFalseAlarm(score);
    }

    @Test
    void stillWithOneSmallMovingBoxRaisesNothing() {
        SliceScores.assertNoFalseAlarm(monitor("slice-box"));
    }

    @Test
    void fadesThroughBlackShorterThanTheMinimumRaiseNothing() {
        SliceScores.assertNoFalseAlarm(monitor("slice-fades"));
    }

    @Test
    void darkTexturedSceneRaisesNothing() {
        SliceScores.assertNoFalseAlarm(monitor("slice-dark"));
    }

    @Test
    void slowZoomOverAStillRaisesNothing() {
        SliceScores.assertNoFalseAlarm(monitor("slice-zoom"));
    }

    @Test
    void cutsRightAfterAShortBlackOrHoldRaiseNothing() {
        SliceScores.assertNoFalseAlarm(monitor("slice-cuts"));
    }
}
