package dev.monoscope.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores what a tool reported against the labels: a match is the same type with overlapping intervals, one to one
 * (each truth takes the unmatched report that overlaps it most); its error is |Δstart| and |Δend|, and for an A/V
 * offset the |error| of the offset it measured. A report that matches no truth is a false alarm.
 */
final class Scoring {

    /** One tool's figures for one type on one set. */
    static final class Row {
        int truths;
        int found;
        int falseAlarms;
        int falseAlarmsOnNegatives;
        final List<Double> startErrors = new ArrayList<>();
        final List<Double> endErrors = new ArrayList<>();
        /** A/V offsets: |measured − true| in ms, the true one being the injected offset plus the clip's own. */
        final List<Double> offsetErrors = new ArrayList<>();

        final List<String> missed = new ArrayList<>();

        double recall() {
            return truths == 0 ? Double.NaN : 100.0 * found / truths;
        }
    }

    /** A set's figures: per tool, per type; the clean time the false alarms are counted over. */
    static final class SetScore {
        final Map<String, Map<String, Row>> rows = new TreeMap<>();
        double cleanSeconds;
        double negativeSeconds;
        double seconds;
        int clips;

        Row row(String tool, String type) {
            return rows.computeIfAbsent(tool, t -> new TreeMap<>()).computeIfAbsent(type, t -> new Row());
        }
    }

    private Scoring() {}

    /** Adds one clip's time to the set (once per clip, whatever the number of tools). */
    static void addClip(SetScore score, ClipMaker.Label label) {
        double defective =
                label.truths().stream().mapToDouble(t -> t.end() - t.start()).sum();
        score.clips++;
        score.seconds += label.duration();
        score.cleanSeconds += Math.max(0, label.duration() - defective);
        if (Scenes.NEGATIVES.contains(label.recipe().scene())) {
            score.negativeSeconds += label.duration();
        }
    }

    /** Scores one tool's reports on one clip; {@code types} are the types the tool reports (null: all). */
    static void score(SetScore score, String tool, List<String> types, ClipMaker.Label label, List<Truth> reported) {
        boolean negative = Scenes.NEGATIVES.contains(label.recipe().scene());
        List<Truth> left = new ArrayList<>(reported);
        for (Truth truth : label.truths()) {
            if (types != null && !types.contains(truth.type())) {
                continue;
            }
            Row row = score.row(tool, truth.type());
            row.truths++;
            Truth best = left.stream()
                    .filter(truth::overlaps)
                    .max(Comparator.comparingDouble(truth::overlap))
                    .orElse(null);
            if (best == null) {
                row.missed.add(
                        label.recipe().name() + "@" + String.format(java.util.Locale.ROOT, "%.2f", truth.start()));
                continue;
            }
            left.remove(best);
            row.found++;
            row.startErrors.add(Math.abs(best.start() - truth.start()));
            row.endErrors.add(Math.abs(best.end() - truth.end()));
            double offset = trueOffsetMs(label, truth);
            if (!Double.isNaN(best.value()) && !Double.isNaN(offset)) {
                row.offsetErrors.add(Math.abs(best.value() - offset));
            }
        }
        for (Truth alarm : left) {
            if (muxerPcrGap(alarm, label)) {
                continue;
            }
            Row row = score.row(tool, alarm.type());
            row.falseAlarms++;
            if (negative) {
                row.falseAlarmsOnNegatives++;
            }
        }
    }

    /**
     * The A/V offset a clip plays in an injected window, ms (positive: audio late): the offset injected there plus
     * the clip's own, where audio content time 0 lies against video content time 0 on the media clock; NaN for
     * another type.
     */
    private static double trueOffsetMs(ClipMaker.Label label, Truth truth) {
        Injected offset = truth.type().equals(Injected.AV_OFFSET) ? label.injected(truth) : null;
        return offset == null ? Double.NaN : offset.value() + 1000 * (label.audioOffset() - label.videoOffset());
    }

    /**
     * FFmpeg's TS muxer writes a PCR only with a packet of the PCR's stream: while pictures are dropped, its PCRs lie
     * over 40 ms apart, a real TR 101 290 error of the clip rather than a false alarm.
     */
    private static boolean muxerPcrGap(Truth alarm, ClipMaker.Label label) {
        return alarm.type().equals("transport")
                && label.truths().stream()
                        .anyMatch(t -> t.type().equals(Injected.FRAME_DROP)
                                && new Truth("transport", t.start(), t.end()).overlaps(alarm));
    }

    /** The q-quantile (0..1) by the nearest rank; NaN when empty. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
