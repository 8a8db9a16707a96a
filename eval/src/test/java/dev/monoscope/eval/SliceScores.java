package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/** Monoscope's score on one clip of a test's own (set {@code slice}), and the checks the slice tests share. */
final class SliceScores {

    private SliceScores() {}

    /** Runs {@code bin/monoscope monitor --json} on the clip and scores it against its truth. */
    static Scoring.SetScore monoscope(ClipMaker.Label label) {
        return Evaluation.evaluate(List.of(label), List.of(Evaluation.MONOSCOPE))
                .get("slice");
    }

    static void assertNoFalseAlarm(Scoring.SetScore score) {
        score.rows
                .getOrDefault(Evaluation.MONOSCOPE, Map.of())
                .forEach((type, row) -> assertThat(row.falseAlarms)
                        .as("false " + type + " alarms")
                        .isZero());
    }
}
