package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.AudioBlock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Audio silence, per track: a channel is silent while every sample stays under {@code thresholdDb} dBFS. All channels
 * silent is silence. One channel of the front pair (left/right; the first two channels of a track whose layout names
 * no positions) silent while the other plays is silence too, with {@code details.channels} (numbered from 1): a lost
 * channel. Other channels may be silent while the front pair plays: an LFE or surround channel is silent in much
 * ordinary programme, so paging for it would page for nothing. Times are sample-accurate.
 */
public final class SilenceDetector implements AudioDetector {

    private static final long FRONT_PAIR = 0x3L; // AV_CH_FRONT_LEFT | AV_CH_FRONT_RIGHT

    private final float threshold;
    private final Map<Integer, TrackState> tracks = new HashMap<>();

    /** Per track: since when each channel has been silent (NaN: not silent), and the last verdict's channels. */
    private static final class TrackState {
        final String key;
        double[] silentSince = new double[0];
        int[] frontPair = new int[0];
        int[] counted = new int[0];

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
            s.frontPair = frontPair(channels, b.layoutMask());
            s.counted = new int[0];
        }
        double rate = b.sampleRate();
        double end = time + b.samples() / rate;
        double[] resumed = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            resumed[ch] = Double.POSITIVE_INFINITY;
            int[] sound = soundRange(b.channel(ch), b.samples());
            if (sound != null) {
                if (s.silentSince[ch] < time) {
                    resumed[ch] = time + sound[0] / rate;
                }
                s.silentSince[ch] = time + (sound[1] + 1) / rate;
            }
        }
        int[] silent = silentChannels(s, end);
        if (silent.length == 0) {
            double cleared = Double.POSITIVE_INFINITY;
            for (int ch : s.counted) {
                cleared = Math.min(cleared, resumed[ch]);
            }
            s.counted = silent;
            tracker.observe(s.key, DefectType.SILENCE, false, cleared < end ? cleared : time, end, null);
            return;
        }
        s.counted = silent;
        double since = Double.NEGATIVE_INFINITY;
        for (int ch : silent) {
            since = Math.max(since, s.silentSince[ch]);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("track", b.track());
        if (silent.length < channels) {
            details.put(
                    "channels", Arrays.stream(silent).map(ch -> ch + 1).boxed().toList());
        }
        tracker.observe(s.key, DefectType.SILENCE, true, since, end, details);
    }

    /** The first and last sample at or over the threshold, or null when there is none. */
    private int[] soundRange(float[] m, int n) {
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
        return first < 0 ? null : new int[] {first, last};
    }

    /** Every channel when all are silent; else the one channel of the front pair that is silent; else none. */
    private static int[] silentChannels(TrackState s, double end) {
        int channels = s.silentSince.length;
        int silent = 0;
        for (double since : s.silentSince) {
            silent += since < end ? 1 : 0;
        }
        if (silent == channels) {
            return IntStream.range(0, channels).toArray();
        }
        if (s.frontPair.length == 2) {
            boolean left = s.silentSince[s.frontPair[0]] < end;
            boolean right = s.silentSince[s.frontPair[1]] < end;
            if (left != right) {
                return new int[] {left ? s.frontPair[0] : s.frontPair[1]};
            }
        }
        return new int[0];
    }

    /**
     * The indices of the front left and right channels: the two channels of a two-channel track, whatever its layout
     * says (stereo, dual mono, a downmix); in a layout with positions, front left and right (native order puts them
     * first); in one without, the first two, by convention the programme pair. None for mono or a layout without them.
     */
    static int[] frontPair(int channels, long layoutMask) {
        if (channels == 2) {
            return new int[] {0, 1};
        }
        if (channels < 2) {
            return new int[0];
        }
        boolean positioned = Long.bitCount(layoutMask) == channels;
        if (!positioned || (layoutMask & FRONT_PAIR) == FRONT_PAIR) {
            return new int[] {0, 1};
        }
        return new int[0];
    }

    @Override
    public void reset() {
        tracks.clear();
    }
}
