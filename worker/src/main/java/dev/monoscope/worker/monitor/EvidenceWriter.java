package dev.monoscope.worker.monitor;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.decode.JpegEncoder;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.defect.DefectListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Saves a JPEG of the first frame of every video defect. The last few pictures are kept by reference (the
 * decoder's buffers, no copy), since detectors may judge a picture a few pictures late; when a video condition
 * begins, its first picture is kept, and if the condition becomes a defect, that picture is encoded.
 */
final class EvidenceWriter implements DefectListener {

    /** More than any detector's lookahead. */
    private static final int RECENT = 12;

    private final Path dir;
    private final Map<String, AVFrame> kept = new HashMap<>();
    private final AVFrame[] recent = new AVFrame[RECENT];
    private final double[] recentTimes = new double[RECENT];
    private int next;

    EvidenceWriter(Path dir) {
        this.dir = dir;
        for (int i = 0; i < RECENT; i++) {
            recent[i] = av_frame_alloc();
            recentTimes[i] = Double.NaN;
        }
    }

    /** The picture the detectors are about to see, at media time {@code t}. */
    void picture(Picture p, double t) {
        av_frame_unref(recent[next]);
        av_frame_ref(recent[next], p.frame());
        recentTimes[next] = t;
        next = (next + 1) % RECENT;
    }

    @Override
    public void conditionStarted(String key, DefectType type, double since) {
        if (type == DefectType.SILENCE || type == DefectType.SIGNAL_LOSS) {
            return;
        }
        // the picture shown at `since`: the latest one that starts at or before it
        int best = -1;
        for (int i = 0; i < RECENT; i++) {
            if (!Double.isNaN(recentTimes[i])
                    && recentTimes[i] <= since + 1e-6
                    && (best < 0 || recentTimes[i] > recentTimes[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return;
        }
        AVFrame slot = kept.computeIfAbsent(key, k -> av_frame_alloc());
        av_frame_unref(slot);
        av_frame_ref(slot, recent[best]);
    }

    @Override
    public void defectStarted(String key, Defect defect) {
        AVFrame frame = kept.remove(key);
        if (frame == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            byte[] jpeg = JpegEncoder.encode(frame, 0);
            if (jpeg != null) {
                String name = String.format(Locale.ROOT, "%04d-%s-%.3f.jpg", defect.id, defect.type, defect.start);
                Files.write(dir.resolve(name), jpeg);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("monoscope: cannot save evidence: " + e.getMessage());
        } finally {
            av_frame_free(frame);
        }
    }

    /** Lets go of the pictures still held. */
    void close() {
        for (AVFrame f : recent) {
            av_frame_free(f);
        }
        for (AVFrame f : kept.values()) {
            av_frame_free(f);
        }
        kept.clear();
    }
}
