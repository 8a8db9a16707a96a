package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.detect.loudness.LoudnessLevels;
import dev.monoscope.worker.detect.loudness.LoudnessMeter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loudness per audio track (ITU-R BS.1770-4 / EBU R128): always measured, and published as metrics through
 * {@link #levels()}; with {@code raising}, short-term loudness outside [target - below, target + above] is a
 * {@code loudness} condition ({@code details.direction} loud or quiet), judged every 100 ms. Short-term loudness under
 * the -70 LUFS gate is silence, the silence detector's business, not a loudness defect.
 */
public final class LoudnessDetector implements AudioDetector {

    private final boolean raising;
    private final double low;
    private final double high;
    private final double integrationSeconds;
    private final LoudnessLevels levels = new LoudnessLevels();
    private final Map<Integer, TrackState> tracks = new HashMap<>();

    private static final class TrackState {
        final String key;
        final LoudnessLevels.Track published;
        LoudnessMeter meter;
        boolean outside;

        TrackState(int track, LoudnessLevels.Track published) {
            this.key = DefectType.LOUDNESS.id() + "/" + track;
            this.published = published;
        }
    }

    /**
     * @param raising whether to raise {@code loudness} defects (false: measure for the metrics only, once
     *                {@link #levels()} is bound to a registry)
     */
    public LoudnessDetector(
            boolean raising,
            double targetLufs,
            double belowTargetLu,
            double aboveTargetLu,
            double integrationWindowMinutes) {
        this.raising = raising;
        this.low = targetLufs - belowTargetLu;
        this.high = targetLufs + aboveTargetLu;
        this.integrationSeconds = integrationWindowMinutes * 60;
    }

    /** The latest levels of every track, for the metrics. */
    public LoudnessLevels levels() {
        return levels;
    }

    @Override
    public void audio(AudioBlock b, double time, DefectSink tracker) {
        if (!raising && !levels.bound()) {
            return; // for the metrics only, and nothing reads them (the command line with loudness disabled)
        }
        TrackState s = tracks.get(b.track());
        if (s == null) {
            s = new TrackState(b.track(), levels.track(b.track()));
            tracks.put(b.track(), s);
        }
        if (s.meter == null
                || s.meter.sampleRate() != b.sampleRate()
                || s.meter.channels() != b.channels()
                || s.meter.layoutMask() != b.layoutMask()) {
            // a new format (or the first block) starts a new measurement: the filters and windows belong to one rate
            s.meter = new LoudnessMeter(b.sampleRate(), b.channels(), b.layoutMask(), integrationSeconds);
            s.published.clear();
        }
        LoudnessMeter m = s.meter;
        double rate = b.sampleRate();
        int i = 0;
        while (i < b.samples()) {
            i = m.feed(b, i);
            if (m.updated()) {
                s.published.set(m.momentary(), m.shortTerm(), m.integrated(), m.truePeakDbtp(), m.recentPeakDbtp());
                if (raising) {
                    // the short-term value crossed a limit within this 100 ms step: it is dated from the step's
                    // start, as the eval reads FFmpeg's ebur128 (which stamps a step at its end, as we get it)
                    judge(s, m.shortTerm(), b.track(), time + (i - m.blockSamples()) / rate, tracker);
                }
            }
        }
    }

    private void judge(TrackState s, double shortTerm, int track, double now, DefectSink tracker) {
        if (Double.isNaN(shortTerm)) {
            return; // not 3 s in yet
        }
        boolean loud = shortTerm > high;
        boolean quiet = shortTerm < low && shortTerm >= LoudnessMeter.ABSOLUTE_GATE_LUFS;
        if (!loud && !quiet) {
            if (s.outside) {
                tracker.observe(s.key, DefectType.LOUDNESS, false, now, now, null);
                s.outside = false;
            }
            return;
        }
        s.outside = true;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("track", track);
        details.put("shortTermLufs", Math.round(shortTerm * 10) / 10.0);
        details.put("direction", loud ? "loud" : "quiet");
        tracker.observe(s.key, DefectType.LOUDNESS, true, now, now, details);
    }

    @Override
    public void reset() {
        tracks.clear();
        levels.clearAll();
    }
}
