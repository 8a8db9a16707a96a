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
 * Clipped audio, per track. A clipped place is a run of at least {@code minConsecutiveSamples} samples at full scale;
 * a channel clips when {@code minPlacesPerSecond} places fall within one second. Full scale is |x| >= {@value
 * #FULL_SCALE}
 * (-0.009 dBFS): the largest integer code is 32767/32768 in 16-bit audio, and a lossy codec's decoder returns clipped
 * flat tops a hair under or over 1. The defect runs from the first place of the first clipping second to the last
 * place followed by a clean second; {@code details.channels} (from 1) are the channels clipping when it is raised.
 */
public final class ClippingDetector implements AudioDetector {

    static final float FULL_SCALE = 0.999f;

    private final int minRun;
    private final int minPlaces;
    private final Map<Integer, TrackState> tracks = new HashMap<>();

    /** Per channel: the current run, and the times of the last {@code minPlaces} places (a ring). */
    private final class TrackState {
        final String key;
        int[] run = new int[0];
        double[][] places = new double[0][];
        int[] placeCount = new int[0];
        /** Per channel, the last place that completed a clipping second (NaN: none). */
        double[] clippedUntil = new double[0];

        double clippingSince = Double.NaN;

        TrackState(int track) {
            this.key = DefectType.CLIPPING.id() + "/" + track;
        }

        void ensure(int channels) {
            if (run.length == channels) {
                return;
            }
            run = new int[channels];
            places = new double[channels][minPlaces];
            placeCount = new int[channels];
            clippedUntil = new double[channels];
            Arrays.fill(clippedUntil, Double.NaN);
        }
    }

    public ClippingDetector(int minConsecutiveSamples, int minPlacesPerSecond) {
        this.minRun = Math.max(1, minConsecutiveSamples);
        this.minPlaces = Math.max(1, minPlacesPerSecond);
    }

    @Override
    public void audio(AudioBlock b, double time, DefectSink tracker) {
        TrackState s = tracks.get(b.track());
        if (s == null) {
            s = new TrackState(b.track());
            tracks.put(b.track(), s);
        }
        int channels = b.channels();
        s.ensure(channels);
        double rate = b.sampleRate();
        int n = b.samples();
        double firstGroup = Double.POSITIVE_INFINITY;
        for (int ch = 0; ch < channels; ch++) {
            float[] m = b.channel(ch);
            int run = s.run[ch];
            for (int i = 0; i < n; i++) {
                float x = m[i];
                if (x >= FULL_SCALE || x <= -FULL_SCALE) {
                    if (++run == minRun) {
                        double start = place(s, ch, time + (i + 1 - minRun) / rate);
                        firstGroup = Math.min(firstGroup, start);
                    }
                } else {
                    run = 0;
                }
            }
            s.run[ch] = run;
        }
        double end = time + n / rate;
        List<Integer> clipping = null;
        double lastPlace = Double.NEGATIVE_INFINITY;
        for (int ch = 0; ch < channels; ch++) {
            double until = s.clippedUntil[ch];
            if (until + 1.0 > end) { // a clipping second ended under a second ago: clipping may still go on
                if (clipping == null) {
                    clipping = new ArrayList<>();
                }
                clipping.add(ch + 1);
            }
            if (!Double.isNaN(until)) {
                lastPlace = Math.max(lastPlace, until);
            }
        }
        if (clipping == null) {
            if (!Double.isNaN(s.clippingSince)) {
                // the defect ends at its last clipped place
                tracker.observe(s.key, DefectType.CLIPPING, false, lastPlace, end, null);
                s.clippingSince = Double.NaN;
            }
            return;
        }
        if (Double.isNaN(s.clippingSince)) {
            s.clippingSince = Double.isInfinite(firstGroup) ? time : firstGroup;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("track", b.track());
        details.put("channels", clipping);
        tracker.observe(s.key, DefectType.CLIPPING, true, s.clippingSince, end, details);
    }

    /**
     * Records a clipped place at {@code t} on channel {@code ch}; when it makes {@code minPlaces} within a second,
     * marks
     * the channel clipping up to {@code t}.
     *
     * @return the first place of that second when it starts a new clipping stretch, else +infinity
     */
    private double place(TrackState s, int ch, double t) {
        double[] ring = s.places[ch];
        int count = s.placeCount[ch]++;
        ring[count % minPlaces] = t;
        if (count + 1 < minPlaces) {
            return Double.POSITIVE_INFINITY;
        }
        double oldest = ring[(count + 1) % minPlaces]; // the place minPlaces - 1 places ago
        if (t - oldest >= 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        boolean fresh = Double.isNaN(s.clippedUntil[ch]) || s.clippedUntil[ch] + 1.0 <= t;
        s.clippedUntil[ch] = t;
        return fresh ? oldest : Double.POSITIVE_INFINITY;
    }

    @Override
    public void reset() {
        tracks.clear();
    }
}
