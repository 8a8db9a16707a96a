package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.DefectReason;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.Picture;
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
 * <p>
 * Sound that is missing is silence too ({@code details.reason} {@code missing}): a viewer hears nothing, and in MP4 or
 * HLS nothing else would say so. A track's next block starting over {@value #GAP_SECONDS} s after its last one ended
 * leaves a gap, if the pictures played through it (counting only their regular steps: a jump of every timestamp, a
 * splice or a lost HLS segment, is no gap in the sound); a track whose blocks stop coming while the pictures go on is
 * missing once they have played {@value #MISSING_SECONDS} s past it (the allowance covers a multiplexer's skew between
 * sound and picture); blocks that then arrive far behind the pictures (a multiplexer holding back the sound before
 * the gap) do not end it. A track the input declares is expected from its opening, so one that never delivers a
 * block is missing too. Never while the signal is lost (scrambled audio included: a loss, not silence).
 */
public final class SilenceDetector implements AudioDetector, VideoDetector {

    private static final long FRONT_PAIR = 0x3L; // AV_CH_FRONT_LEFT | AV_CH_FRONT_RIGHT
    /** A gap between one block's end and the next block's start over this is sound missing. */
    static final double GAP_SECONDS = 0.1;
    /** How far the pictures play past a track's last block before its sound is missing. */
    static final double MISSING_SECONDS = 3.0;
    /** How much of a gap in the sound the pictures must have played for it to be sound missing. */
    private static final double PLAYED_THROUGH = 0.5;
    /** A step between pictures longer than this is a jump in the timestamps, not time played. */
    private static final double MAX_PICTURE_STEP = 0.5;

    private final float threshold;
    private final Map<Integer, TrackState> tracks = new HashMap<>();
    private double lastPicture = Double.NaN;
    private double latestPicture = Double.NEGATIVE_INFINITY;

    /** Per track: since when each channel has been silent, the last verdict's channels, and where the sound got to. */
    private static final class TrackState {
        final String key;
        final int track;
        double[] silentSince = new double[0];
        /** Whether channels 1 and 2 are the front pair, the one whose single silent channel is a lost one. */
        boolean frontPair;

        int[] counted = new int[0];
        /** Where the last block ended, on the media clock. */
        double end = Double.NaN;
        /** How long the pictures have played since this track's last block. */
        double playedSinceSound;
        /** The pictures played on without this track's sound: it is missing until sound arrives in step with them. */
        boolean missing;
        /** No block has come yet: the track was opened, and sound is expected since then. */
        boolean expected;

        TrackState(int track) {
            this.track = track;
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
        double end = time + b.samples() / (double) b.sampleRate();
        if (s.missing && time < latestPicture - MISSING_SECONDS) {
            heldBack(s, b, time, end, tracker);
            return;
        }
        // the pictures played through the gap: not a jump of every timestamp (a splice, an HLS segment lost)
        boolean playedThrough = s.playedSinceSound >= PLAYED_THROUGH * (time - s.end);
        s.playedSinceSound = 0;
        s.missing = false;
        if (s.silentSince.length != channels || s.expected) {
            s.expected = false;
            s.silentSince = new double[channels];
            Arrays.fill(s.silentSince, time);
            s.frontPair = frontPair(channels, b.layoutMask());
            s.counted = new int[0];
        } else if (time - s.end > GAP_SECONDS && playedThrough) {
            missing(s, time, tracker);
        }
        s.end = end;
        listen(s, b, time, end, tracker);
    }

    /** Whether each channel of the block has sound, and the verdict on the track from it. */
    private void listen(TrackState s, AudioBlock b, double time, double end, DefectSink tracker) {
        int channels = b.channels();
        double rate = b.sampleRate();
        double cleared = Double.POSITIVE_INFINITY;
        for (int ch = 0; ch < channels; ch++) {
            int[] sound = soundRange(b.channel(ch), b.samples());
            if (sound == null) {
                continue;
            }
            if (s.silentSince[ch] < time && counted(s, ch)) {
                cleared = Math.min(cleared, time + sound[0] / rate);
            }
            s.silentSince[ch] = time + (sound[1] + 1) / rate;
        }
        int[] silent = silentChannels(s, end);
        s.counted = silent;
        if (silent.length == 0) {
            tracker.observe(s.key, DefectType.SILENCE, false, cleared < end ? cleared : time, end, null);
            return;
        }
        double since = lastSound(s, silent);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("track", b.track());
        if (silent.length < channels) {
            details.put(
                    "channels", Arrays.stream(silent).map(ch -> ch + 1).boxed().toList());
        }
        tracker.observe(s.key, DefectType.SILENCE, true, since, end, details);
    }

    /**
     * A block of a track missing its sound that arrives far behind the pictures: a multiplexer held it back (the sound
     * before a gap). What sound it has moves the silence's start later while it is not raised yet; it ends nothing.
     */
    private void heldBack(TrackState s, AudioBlock b, double time, double end, DefectSink tracker) {
        s.end = Math.max(s.end, end);
        if (s.silentSince.length != b.channels()) {
            return;
        }
        double since = Double.NEGATIVE_INFINITY;
        for (int ch = 0; ch < b.channels(); ch++) {
            int[] sound = soundRange(b.channel(ch), b.samples());
            if (sound != null) {
                s.silentSince[ch] = Math.max(s.silentSince[ch], time + (sound[1] + 1) / (double) b.sampleRate());
            }
            since = Math.max(since, s.silentSince[ch]);
        }
        tracker.startsLater(s.key, since);
    }

    private static boolean counted(TrackState s, int ch) {
        for (int c : s.counted) {
            if (c == ch) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void tracksOpened(int[] numbers, double time) {
        for (int track : numbers) {
            TrackState s = new TrackState(track);
            s.silentSince = new double[] {time}; // the track's channels are known from its first block
            s.end = time;
            s.expected = true;
            tracks.put(track, s);
        }
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        double step = time - lastPicture; // NaN for the first
        lastPicture = time;
        latestPicture = Math.max(latestPicture, time);
        if (!(step > 0 && step <= MAX_PICTURE_STEP)) {
            return;
        }
        for (TrackState s : tracks.values()) {
            s.playedSinceSound += step;
            if (s.playedSinceSound >= MISSING_SECONDS
                    && s.silentSince.length > 0
                    && !tracker.anyDefective(DefectType.SIGNAL_LOSS)) {
                s.missing = true;
                missing(s, time - MISSING_SECONDS, tracker); // sound up to here may still be on its way
            }
        }
    }

    /** The track's sound is missing up to {@code now}: silence on every channel since the last sound. */
    private static void missing(TrackState s, double now, DefectSink tracker) {
        s.counted = IntStream.range(0, s.silentSince.length).toArray();
        double since = lastSound(s, s.counted);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("track", s.track);
        details.put("reason", DefectReason.MISSING);
        tracker.observe(s.key, DefectType.SILENCE, true, since, now, details);
    }

    /** When the last sound on any of {@code channels} ended: they have all been silent since. */
    private static double lastSound(TrackState s, int[] channels) {
        double since = Double.NEGATIVE_INFINITY;
        for (int ch : channels) {
            since = Math.max(since, s.silentSince[ch]);
        }
        return since;
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
        if (s.frontPair) {
            boolean left = s.silentSince[0] < end;
            boolean right = s.silentSince[1] < end;
            if (left != right) {
                return new int[] {left ? 0 : 1};
            }
        }
        return new int[0];
    }

    /**
     * Whether the first two channels are the front pair: a two-channel track's, whatever its layout says (stereo, dual
     * mono, a downmix); in a layout with positions, when it has front left and right (native order puts them first);
     * in one without, by convention (the programme pair). Not for mono or a layout without them.
     */
    static boolean frontPair(int channels, long layoutMask) {
        if (channels == 2) {
            return true;
        }
        if (channels < 2) {
            return false;
        }
        boolean positioned = Long.bitCount(layoutMask) == channels;
        return !positioned || (layoutMask & FRONT_PAIR) == FRONT_PAIR;
    }

    @Override
    public void reset() {
        tracks.clear();
        lastPicture = Double.NaN;
        latestPicture = Double.NEGATIVE_INFINITY;
    }
}
