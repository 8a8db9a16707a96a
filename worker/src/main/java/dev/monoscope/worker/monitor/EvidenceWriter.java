package dev.monoscope.worker.monitor;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.decode.JpegEncoder;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.detect.CorruptionDetector;
import dev.monoscope.worker.report.EvidenceFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Saves a JPEG of the first frame of every video defect, and has a clip saved around every video or audio defect
 * ({@link EvidenceClips}); names the files on the defect it is handed (so it must come before the outputs that show
 * them). Recent pictures are kept by reference (the decoder's buffers, no copy), since detectors may judge a picture
 * a few pictures late; when a video condition begins, its first picture is kept, and if the condition becomes a
 * defect, that picture is encoded. Without an evidence folder it does nothing.
 *
 * <p>Each picture held makes the decoder write into one more buffer (3 MiB at 1080p), which is no longer the one it
 * just freed and still has in cache: holding the corruption detector's whole lookahead all the time cost 5–10 % more
 * CPU at 1080p ({@code make bench}). So only the latest is held, and the lookahead only while damage is in sight (a
 * damaged picture waits for its verdict, or the decoder logged damage in pictures already handed out). Damage found
 * later than that (a lost picture placed among earlier ones, a stall the pixel analysis sees one picture late) is
 * shown by the earliest picture still held, which carries the same damage until the next keyframe.
 */
final class EvidenceWriter implements DefectListener {

    /**
     * The latest verdict on a picture: the corruption detector's, {@value CorruptionDetector#LOOKAHEAD} pictures late.
     * A picture the decoder lost is judged later still, and has no picture of its own: the next one held stands in.
     */
    private static final int RECENT = CorruptionDetector.LOOKAHEAD + 1;
    /**
     * Held at all times: the latest picture, the one every detector but corruption judges at once. (Holding the one
     * before as well cost a measurable 1–2 % more.)
     */
    private static final int HELD = 1;

    private final Path dir;
    private final BooleanSupplier damageWaiting;
    private final EvidenceFolder folder;
    private final EvidenceClips clips;
    private final Map<String, AVFrame> kept = new HashMap<>();
    private final AVFrame[] recent = new AVFrame[RECENT];
    private final double[] recentTimes = new double[RECENT];
    private int next;

    /**
     * @param dir     the evidence folder, or null for none
     * @param outputs told when a clip was written
     * @param damageWaiting whether the corruption detector has a damaged picture waiting for its verdict
     */
    EvidenceWriter(Path dir, long maxBytes, List<DefectListener> outputs, BooleanSupplier damageWaiting) {
        this.dir = dir;
        this.damageWaiting = damageWaiting;
        this.folder = dir == null ? null : new EvidenceFolder(dir, maxBytes);
        this.clips = dir == null ? null : new EvidenceClips(folder, outputs);
        for (int i = 0; dir != null && i < RECENT; i++) {
            recent[i] = av_frame_alloc();
            recentTimes[i] = Double.NaN;
        }
    }

    /** The picture the detectors are about to see, at media time {@code t}. */
    void picture(Picture p, double t) {
        if (dir == null) {
            return;
        }
        clips.mediaAt(t, p.pts());
        boolean damageInSight = !Double.isNaN(p.loggedDamageBefore()) || damageWaiting.getAsBoolean();
        av_frame_unref(recent[next]);
        av_frame_ref(recent[next], p.frame());
        recentTimes[next] = t;
        if (!damageInSight) {
            for (int back = HELD; back < RECENT; back++) {
                release((next - back + RECENT) % RECENT);
            }
        }
        next = (next + 1) % RECENT;
    }

    private void release(int slot) {
        if (!Double.isNaN(recentTimes[slot])) {
            av_frame_unref(recent[slot]);
            recentTimes[slot] = Double.NaN;
        }
    }

    /** Audio at media time {@code t} has stream time {@code pts}. */
    void audio(double t, double pts) {
        if (dir != null) {
            clips.mediaAt(t, pts);
        }
    }

    /** A connection opened: its packets are kept for the clips. */
    void connected(StreamDecoder decoder) {
        if (dir != null) {
            clips.connected(decoder);
        }
    }

    @Override
    public void conditionStarted(String key, DefectType type, double since) {
        if (dir == null || type == DefectType.SILENCE || type == DefectType.SIGNAL_LOSS) {
            return;
        }
        int best = shownAt(since);
        if (best < 0) {
            return;
        }
        AVFrame slot = kept.computeIfAbsent(key, k -> av_frame_alloc());
        av_frame_unref(slot);
        av_frame_ref(slot, recent[best]);
    }

    /**
     * The picture shown at {@code since}: the latest held one that starts at or before it, else the earliest held
     * (when the verdict came later than the pictures held reach back); -1 when none is held.
     */
    private int shownAt(double since) {
        int before = -1;
        int earliest = -1;
        for (int i = 0; i < RECENT; i++) {
            double t = recentTimes[i];
            if (Double.isNaN(t)) {
                continue;
            }
            if (t <= since + 1e-6 && (before < 0 || t > recentTimes[before])) {
                before = i;
            }
            if (earliest < 0 || t < recentTimes[earliest]) {
                earliest = i;
            }
        }
        return before >= 0 ? before : earliest;
    }

    @Override
    public void defectStarted(String key, Defect defect) {
        if (dir == null) {
            return;
        }
        String jpeg = null;
        AVFrame frame = kept.remove(key);
        try {
            Files.createDirectories(dir);
            byte[] encoded = frame == null ? null : JpegEncoder.encode(frame, 0);
            if (encoded != null) {
                jpeg = EvidenceFolder.baseName(defect.id, defect.type, defect.start) + ".jpg";
                Files.write(dir.resolve(jpeg), encoded);
                folder.keepUnderCap();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("monoscope: cannot save evidence: " + e.getMessage());
        } finally {
            if (frame != null) {
                av_frame_free(frame);
            }
        }
        defect.evidence = clips.plan(defect, jpeg); // the copy every later output is handed
    }

    @Override
    public void defectEnded(Defect defect) {
        if (dir != null) {
            defect.evidence = clips.planned(defect.id);
        }
    }

    /** Lets go of the pictures still held. */
    void close() {
        if (dir == null) {
            return;
        }
        for (AVFrame f : recent) {
            av_frame_free(f);
        }
        for (AVFrame f : kept.values()) {
            av_frame_free(f);
        }
        kept.clear();
    }
}
