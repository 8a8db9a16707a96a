package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.AudioBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audio silence, per track: a channel is silent while every sample stays under {@code thresholdDb} dBFS. All channels
 * silent is silence; some channels silent while others play is silence too, with {@code details.channels}
 * (numbered from 1). Times are sample-accurate.
 */
public final class SilenceDetector implements AudioDetector {

    private final float threshold;
    private final Map<Integer, TrackState> tracks = new HashMap<>();

    /** Per track: since when each channel has been silent (NaN: not silent). */
    private static final class TrackState {
        final String key;
        double[] silentSince = new double[0];

        TrackState(int track) {
            this.key = DefectType.SILENCE.id() + "/" + track;
        }
    }

    public SilenceDetector(double thresholdDb) {
        this.threshold = (float) Math.pow(10, thresholdDb / 20);
    }

    @Override
    public void audio(AudioBlock b, double time, DefectSink tracker) {
        TrackState s = tracks.computeIfAbsent(b.track(), TrackState::new);
        int channels = b.channels();
        if (s.silentSince.length != channels) {
            s.silentSince = new double[channels];
            Arrays.fill(s.silentSince, time);
        }
        double rate = b.sampleRate();
        double end = time + b.samples() / rate;
        double firstSound = Double.POSITIVE_INFINITY;
        boolean wasSilent = anySilent(s, time);
        for (int ch = 0; ch < channels; ch++) {
            float[] m = b.channel(ch);
            int n = b.samples();
            int first = -1;
            int last = -1;
            for (int i = 0; i < n; i++) {
                if (Math.abs(m[i]) >= threshold) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            if (first >= 0) {
                if (s.silentSince[ch] < time) {
                    firstSound = Math.min(firstSound, time + first / rate);
                }
                s.silentSince[ch] = time + (last + 1) / rate;
            }
        }
        List<Integer> silent = new ArrayList<>();
        double since = Double.NEGATIVE_INFINITY;
        for (int ch = 0; ch < channels; ch++) {
            if (s.silentSince[ch] < end) {
                silent.add(ch + 1);
                since = Math.max(since, s.silentSince[ch]);
            }
        }
        if (silent.isEmpty()) {
            double cleared = wasSilent && firstSound < end ? firstSound : time;
            tracker.observe(s.key, DefectType.SILENCE, false, cleared, end, null);
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("track", b.track());
        if (silent.size() < channels) {
            details.put("channels", silent);
        }
        tracker.observe(s.key, DefectType.SILENCE, true, since, end, details);
    }

    private static boolean anySilent(TrackState s, double time) {
        for (double since : s.silentSince) {
            if (since < time) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void reset() {
        tracks.clear();
    }
}
