package dev.monoscope.worker.report;

import dev.monoscope.api.worker.AudioLevel;
import dev.monoscope.worker.detect.loudness.LoudnessLevels;
import java.util.ArrayList;
import java.util.List;

/** Copies the loudness detector's latest levels into the report, with the other counters (no version bump). */
public final class ReportAudioLevels {

    private ReportAudioLevels() {}

    /** Writes every track's level; nothing when loudness is not measured ({@code levels} null). */
    public static void publish(ReportState state, LoudnessLevels levels) {
        if (levels == null) {
            return;
        }
        List<AudioLevel> out = new ArrayList<>();
        levels.tracks().forEach((track, t) -> {
            AudioLevel level = new AudioLevel();
            level.track = track;
            level.peakDbtp = rounded(t.recentPeak());
            level.shortTermLufs = rounded(t.shortTerm());
            out.add(level);
        });
        state.counters(r -> r.audioLevels = out.isEmpty() ? null : out);
    }

    /** One decimal; null for what is not a finite level (not measured yet, or -inf in digital silence). */
    private static Double rounded(double db) {
        return Double.isFinite(db) ? Math.round(db * 10) / 10.0 : null;
    }
}
