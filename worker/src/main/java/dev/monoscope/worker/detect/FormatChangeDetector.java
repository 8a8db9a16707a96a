package dev.monoscope.worker.detect;

import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_from_mask;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.Picture;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;

/**
 * Format changes, as events (raised and ended at once): the picture size and the audio sample rate, channel count and
 * layout (per track) as the decoded frames carry them, mid-stream or across a reconnection; the picture rate as the
 * timestamps show it, mid-stream ({@link PictureRate}: a broadcast rate held for a second, reported where it began);
 * the codecs and the nominal frame rate as each opening of the input declares them. The first format seen is not a
 * change. What the decoded frames show is not reset on reconnection, so a reopened stream of another size is reported
 * once, at its first picture; changes found at an opening are reported at the first frame after it (the tracker
 * ignores everything while the signal is lost, and the signal comes back with that frame). The measured picture rate
 * starts over at each opening: a rate changed across a reconnection is the declared rate's to report.
 */
public final class FormatChangeDetector implements VideoDetector, AudioDetector {

    private static final String KEY = DefectType.FORMAT_CHANGE.id();

    /** A step over this is a discontinuity, not a picture rate (as {@link FrameDropDetector} has it). */
    private static final double MAX_STEP_SECONDS = FrameDropDetector.MAX_STEP_SECONDS;

    private int width = -1;
    private int height = -1;
    private final PictureRate pictureRate = new PictureRate();
    private double previousPts = Double.NaN;
    private final Map<Integer, AudioFormat> audioFormats = new HashMap<>();
    private StreamInfo opened;
    /** Changes found at the last opening, reported with the next frame. */
    private final Map<String, Object[]> pending = new LinkedHashMap<>();

    /** One audio track's format as its blocks carry it. */
    private static final class AudioFormat {
        int sampleRate;
        int channels;
        long layoutMask;
    }

    @Override
    public void opened(StreamInfo info, double time, DefectSink tracker) {
        StreamInfo before = opened;
        opened = info;
        pictureRate.reset(); // a rate changed across a reconnection is the declared one's to report
        if (before == null || info == null) {
            return;
        }
        compare("videoCodec", before.videoCodec, info.videoCodec);
        if (before.frameRate != null
                && info.frameRate != null
                && Math.abs(info.frameRate - before.frameRate) > 0.01 * before.frameRate) {
            pending.put("frameRate", new Object[] {before.frameRate, info.frameRate}); // probes round differently
        }
        compare("audioCodec", before.audioCodec, info.audioCodec);
    }

    private void compare(String what, Object from, Object to) {
        if (from != null && to != null && !Objects.equals(from, to)) {
            pending.put(what, new Object[] {from, to});
        }
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        reportPending(time, tracker);
        followRate(p.pts(), p.declaredRate(), time, tracker);
        int w = p.width();
        int h = p.height();
        if (w == width && h == height) {
            return;
        }
        if (width >= 0) {
            changed("video", "resolution", width + "x" + height, w + "x" + h, time, tracker);
        }
        width = w;
        height = h;
    }

    @Override
    public void audio(AudioBlock b, double time, DefectSink tracker) {
        reportPending(time, tracker);
        AudioFormat f = audioFormats.get(b.track());
        if (f == null) {
            f = new AudioFormat();
            audioFormats.put(b.track(), f);
        } else if (f.sampleRate == b.sampleRate() && f.channels == b.channels() && f.layoutMask == b.layoutMask()) {
            return;
        } else {
            String part = "audio/" + b.track();
            if (f.sampleRate != b.sampleRate()) {
                changed(part, "sampleRate", f.sampleRate, b.sampleRate(), time, tracker);
            }
            if (f.channels != b.channels()) {
                changed(part, "channels", f.channels, b.channels(), time, tracker);
            } else if (f.layoutMask != b.layoutMask()) {
                changed(part, "channelLayout", layoutName(f.layoutMask), layoutName(b.layoutMask()), time, tracker);
            }
        }
        f.sampleRate = b.sampleRate();
        f.channels = b.channels();
        f.layoutMask = b.layoutMask();
    }

    /** Measures the picture rate and reports its changes, from where the new rate began. */
    private void followRate(double pts, double declared, double time, DefectSink tracker) {
        double dt = pts - previousPts;
        previousPts = pts;
        if (!(dt > 0) || dt > MAX_STEP_SECONDS) {
            return; // the first picture, or a discontinuity: no step to measure
        }
        pictureRate.step(dt, time, declared);
        if (pictureRate.changed()) {
            changed(
                    "video",
                    "frameRate",
                    PictureRate.rounded(pictureRate.previousRate()),
                    PictureRate.rounded(pictureRate.rate()),
                    Math.min(pictureRate.changedAt(), time),
                    time,
                    tracker);
        }
    }

    private void reportPending(double time, DefectSink tracker) {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Object[]> e : pending.entrySet()) {
            changed("stream", e.getKey(), e.getValue()[0], e.getValue()[1], time, tracker);
        }
        pending.clear();
    }

    /** One change: raised and ended at the same time. */
    private static void changed(String part, String what, Object from, Object to, double time, DefectSink tracker) {
        changed(part, what, from, to, time, time, tracker);
    }

    /** One change found at media time {@code now} that happened at {@code time}: raised and ended there. */
    private static void changed(
            String part, String what, Object from, Object to, double time, double now, DefectSink tracker) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("what", what);
        details.put("from", from);
        details.put("to", to);
        String key = KEY + "/" + part + "/" + what;
        tracker.observe(key, DefectType.FORMAT_CHANGE, true, time, now, details);
        tracker.observe(key, DefectType.FORMAT_CHANGE, false, time, now, null);
    }

    /** The layout's name as FFmpeg gives it (stereo, 5.1(side), …), or "unknown" for a non-native layout. */
    private static String layoutName(long mask) {
        if (mask == 0) {
            return "unknown";
        }
        AVChannelLayout layout = new AVChannelLayout();
        byte[] name = new byte[64];
        try {
            if (av_channel_layout_from_mask(layout, mask) < 0
                    || av_channel_layout_describe(layout, name, name.length) < 0) {
                return "0x" + Long.toHexString(mask);
            }
        } finally {
            av_channel_layout_uninit(layout);
            layout.close();
        }
        int n = 0;
        while (n < name.length && name[n] != 0) {
            n++;
        }
        return new String(name, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public void reset() {
        // the formats seen so far stay: a reopened stream is compared with the one before
        previousPts = Double.NaN;
    }
}
