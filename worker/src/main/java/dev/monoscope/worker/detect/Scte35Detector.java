package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.source.HlsCueTag;
import dev.monoscope.worker.transport.SpliceInfo;
import dev.monoscope.worker.transport.SpliceInfoSection;
import dev.monoscope.worker.transport.SpliceListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * SCTE-35 cues from the transport stream (the analyser's sections, see {@link SpliceListener}) and from the HLS
 * playlist (the tags the delivery watch finds, {@link #hlsTag}), each told to the tracker as a cue once the pictures
 * reach where it was found, its {@code time} the splice time on the media clock (pts_adjustment applied, across the
 * 33-bit wrap), or when it was seen for an immediate cue or a tag without a section. A section with a bad CRC or that
 * cannot be decoded is a {@code scte35} defect ({@code crc_error}, {@code malformed}) for that moment; an
 * out-of-network cue that does not return by itself (auto_return 0, or an HLS CUE-OUT) with a duration is a
 * {@code missing_return} from its duration + 2 s until its return comes.
 */
public final class Scte35Detector implements VideoDetector, AudioDetector, SpliceListener {

    /** How late a return may come after the break's duration. */
    static final double RETURN_GRACE_SECONDS = 2;
    /** Sections found further ahead than this from the pictures (a PCR jump) are placed at the current picture. */
    private static final double FAR = 10;
    /** A splice time further than this from the pictures is not believed: the cue is placed where it was seen. */
    private static final double FAR_SPLICE = 600;

    private static final int MAX_QUEUED = 1000;

    private record Found(String source, int pid, SpliceInfo info, SpliceInfoSection.Invalid invalid, double pcr) {}

    /** A break that must return: its deadline on the media clock. */
    private static final class Break {
        final String key;
        final Cue cue;
        final double deadline;
        boolean raised;

        Break(String key, Cue cue, double deadline) {
            this.key = key;
            this.cue = cue;
            this.deadline = deadline;
        }
    }

    private final ArrayDeque<Found> queue = new ArrayDeque<>();
    /** From the delivery watch's thread. */
    private final ConcurrentLinkedQueue<HlsCueTag> hlsTags = new ConcurrentLinkedQueue<>();

    private final Map<String, Break> breaks = new LinkedHashMap<>();
    /** Invalid-section conditions raised at the last picture: they clear at the next one. */
    private final List<String> flagged = new ArrayList<>();

    private double lastTime = Double.NEGATIVE_INFINITY;

    @Override
    public void splice(int pid, SpliceInfo info, double pcrSeconds) {
        enqueue(new Found("ts", pid, info, null, pcrSeconds));
    }

    @Override
    public void invalidSplice(int pid, SpliceInfoSection.Invalid why, double pcrSeconds) {
        enqueue(new Found("ts", pid, null, why, pcrSeconds));
    }

    /** A cue tag of the HLS playlist, from any thread: told at the next picture or audio block. */
    public void hlsTag(HlsCueTag tag) {
        if (hlsTags.size() < MAX_QUEUED) {
            hlsTags.add(tag);
        }
    }

    private void enqueue(Found f) {
        if (queue.size() >= MAX_QUEUED) {
            queue.poll();
        }
        queue.add(f);
    }

    @Override
    public void picture(Picture picture, double time, DefectSink tracker) {
        advance(picture.pts(), time, tracker);
    }

    @Override
    public void audio(AudioBlock block, double time, DefectSink tracker) {
        advance(block.pts(), time, tracker);
    }

    private void advance(double pts, double time, DefectSink tracker) {
        lastTime = Math.max(lastTime, time);
        for (String key : flagged) {
            tracker.observe(key, DefectType.SCTE35, subtypeOf(key), false, time, time, null);
        }
        flagged.clear();
        while (!queue.isEmpty()) {
            Found f = queue.peek();
            double at = time;
            if (!Double.isNaN(f.pcr())) {
                double ahead = StreamTime.ahead(f.pcr(), pts);
                if (ahead > 0 && ahead < FAR) {
                    break; // further on in the stream than the media has reached
                }
                at = ahead > -FAR ? time + ahead : time;
            }
            queue.poll();
            found(f, at, pts, time, tracker);
        }
        for (HlsCueTag tag; (tag = hlsTags.poll()) != null; ) {
            try {
                SpliceInfo info = HlsCues.interpret(tag);
                if (info != null) {
                    found(new Found("hls", -1, info, null, Double.NaN), time, pts, time, tracker);
                }
            } catch (SpliceInfoSection.Invalid e) {
                found(new Found("hls", -1, null, e, Double.NaN), time, pts, time, tracker);
            }
        }
        checkReturns(time, tracker);
    }

    private void found(Found f, double seenAt, double pts, double now, DefectSink tracker) {
        if (f.invalid() != null) {
            String key = DefectType.SCTE35.id() + "/" + f.invalid().subtype() + "/" + f.source() + f.pid();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("source", f.source());
            if (f.pid() >= 0) {
                details.put("pid", f.pid());
            }
            details.put("message", f.invalid().getMessage());
            tracker.observe(key, DefectType.SCTE35, f.invalid().subtype(), true, seenAt, now, details);
            flagged.add(key);
            return;
        }
        Cue cue = cue(f, seenAt, pts, now);
        tracker.cue(cue);
        follow(cue, tracker);
    }

    private static Cue cue(Found f, double seenAt, double framePts, double now) {
        SpliceInfo s = f.info();
        Cue c = new Cue();
        c.source = f.source();
        c.command = s.command();
        c.pid = f.pid() >= 0 ? f.pid() : null;
        c.eventId = s.eventId();
        c.outOfNetwork = s.outOfNetwork();
        c.autoReturn = s.autoReturn();
        c.cancel = s.cancel() ? Boolean.TRUE : null;
        c.duration = s.durationSeconds() == null ? null : round(s.durationSeconds());
        c.segmentationType = s.segmentationType();
        c.pts = s.pts();
        double time = seenAt;
        if (s.pts() != null && !Double.isNaN(framePts)) {
            double ahead = StreamTime.ahead(s.pts() / 90_000.0, framePts);
            time = Math.abs(ahead) < FAR_SPLICE ? now + ahead : seenAt;
        }
        c.time = round(Math.max(0, time)); // a splice time before the stream's start is at its start
        return c;
    }

    /** Opens a break that must return, or closes the ones a return or cancel ends. */
    private void follow(Cue cue, DefectSink tracker) {
        if (Boolean.TRUE.equals(cue.cancel) || Boolean.FALSE.equals(cue.outOfNetwork)) {
            for (Iterator<Break> it = breaks.values().iterator(); it.hasNext(); ) {
                Break b = it.next();
                boolean sameEvent = cue.eventId == null || b.cue.eventId == null || cue.eventId.equals(b.cue.eventId);
                if (b.cue.source.equals(cue.source) && sameEvent) {
                    if (b.raised) {
                        double at = Math.max(cue.time, b.deadline);
                        tracker.observe(b.key, DefectType.SCTE35, "missing_return", false, at, at, null);
                    }
                    it.remove();
                }
            }
            return;
        }
        if (Boolean.TRUE.equals(cue.outOfNetwork) && cue.duration != null && !Boolean.TRUE.equals(cue.autoReturn)) {
            String key = DefectType.SCTE35.id() + "/missing_return/" + cue.source + "/"
                    + (cue.eventId == null ? "-" : cue.eventId);
            breaks.put(key, new Break(key, cue, cue.time + cue.duration + RETURN_GRACE_SECONDS));
        }
    }

    private void checkReturns(double time, DefectSink tracker) {
        for (Break b : breaks.values()) {
            if (!b.raised && time > b.deadline) {
                b.raised = true;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("source", b.cue.source);
                if (b.cue.eventId != null) {
                    details.put("eventId", b.cue.eventId);
                }
                details.put("duration", b.cue.duration);
                details.put("outAt", b.cue.time);
                tracker.observe(b.key, DefectType.SCTE35, "missing_return", true, b.deadline, time, details);
            }
        }
    }

    private static String subtypeOf(String key) {
        return key.split("/")[1];
    }

    private static double round(double t) {
        return Math.round(t * 1000) / 1000.0;
    }

    @Override
    public void inputEnded(DefectSink tracker) {
        // sections found after the last picture: at the end
        while (!queue.isEmpty() && Double.isFinite(lastTime)) {
            found(queue.poll(), lastTime, Double.NaN, lastTime, tracker);
        }
        queue.clear();
    }

    @Override
    public void reset() {
        lastTime = Double.NEGATIVE_INFINITY; // flagged sections clear at the next picture, on the new connection
    }
}
