package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.Picture;
import java.util.Map;

/**
 * Corrupted pictures: those whose packet lost data on the way in ({@code LostVideoData}: MPEG-TS continuity lost,
 * transport error indicator), those the decoder flags as damaged or concealed ({@code AVFrame.decode_error_flags},
 * {@code AV_FRAME_FLAG_CORRUPT}), logs an error about ({@code LoggedDecodeErrors}) or leaves partly undecoded (HEVC:
 * {@code UndecodedAreas}), packets it rejects outright
 * (their pictures are lost), and, with pixel analysis on, damage the decoder does not flag, seen in the pixels
 * ({@link BlockArtifactMeter}). Pictures predicted from a damaged picture carry its damage although they decode
 * cleanly, so once damage is seen every picture up to the next keyframe (at most {@value #CARRY_LIMIT} s, for
 * streams refreshed without keyframes) counts as damaged. The tracker raises at once and merges damage within its
 * merge window; the defect's details say what saw it first ({@code source}:
 * {@code transport}, {@code decoder} or {@code pixels}; lost data is the cause when it is there). A GPU decoder flags
 * nothing: there lost data and the pixels are the whole detector.
 * Not defects: pictures before the first keyframe after joining, and a cut-off final picture. A picture is cut off
 * when the input ends (or is lost) right after it, and the decoder hands pictures out a few late (threads,
 * reordering), so verdicts wait {@value #LOOKAHEAD} pictures; those still waiting when the input ends are dropped.
 */
public final class CorruptionDetector implements VideoDetector {

    private static final String KEY = DefectType.CORRUPTION.id();
    public static final int LOOKAHEAD = 8;
    static final double CARRY_LIMIT = 10;
    static final Map<String, Object> BY_DECODER = Map.of("source", "decoder");
    static final Map<String, Object> BY_PIXELS = Map.of("source", "pixels");
    static final Map<String, Object> BY_TRANSPORT = Map.of("source", "transport");
    /** Damage the decoder only logged: reported as the decoder's, but known apart (by identity) from its flags. */
    static final Map<String, Object> BY_LOGGED = Map.of("source", "decoder");

    /** Where the pixels are searched for damage the decoder does not flag. */
    public enum PixelAnalysis {
        NEVER,
        /**
         * Only on pictures from a decoder that flags nothing (NVDEC): where a CPU decoder flags damage, its flags and
         * the damage carried to the next keyframe find it, and the pixels' false alarms on clean transitions (slow
         * zooms, the picture after black or a freeze) would cost more than the little they add.
         */
        WITHOUT_DECODER_FLAGS,
        ALWAYS;

        /** From the setting {@code pixelAnalysis}: unset searches where the decoder flags nothing, true everywhere. */
        public static PixelAnalysis of(Boolean setting) {
            return setting == null ? WITHOUT_DECODER_FLAGS : setting ? ALWAYS : NEVER;
        }
    }

    /** Null when pixel analysis is off. */
    private final BlockArtifactMeter pixels;

    private final boolean pixelsWithDecoderFlags;

    private final boolean decoderFlags;
    /** Per waiting picture: what saw its damage, or null when intact. */
    @SuppressWarnings("unchecked")
    private final Map<String, Object>[] damage = new Map[LOOKAHEAD];

    private final double[] times = new double[LOOKAHEAD];
    private int head;
    private int size;
    private double lastDamaged = Double.NEGATIVE_INFINITY;
    /** The damage being carried to the next keyframe (what saw it), or null. */
    private Map<String, Object> carried;

    private double carriedSince;
    /** The time of the last keyframe seen. */
    private double lastKey = Double.NEGATIVE_INFINITY;

    /**
     * @param pixelAnalysis look for damage in the pixels too
     * @param decoderFlags  believe the decoder's damage flags and rejected packets; false sees what a GPU decoder
     *                      gives (nothing flagged), leaving lost data and the pixels
     */
    public CorruptionDetector(boolean pixelAnalysis, boolean decoderFlags) {
        this(pixelAnalysis ? PixelAnalysis.ALWAYS : PixelAnalysis.NEVER, decoderFlags);
    }

    /** As above, with the pixels searched where {@code pixelAnalysis} says. */
    public CorruptionDetector(PixelAnalysis pixelAnalysis, boolean decoderFlags) {
        this.pixels = pixelAnalysis == PixelAnalysis.NEVER ? null : new BlockArtifactMeter();
        this.pixelsWithDecoderFlags = pixelAnalysis == PixelAnalysis.ALWAYS;
        this.decoderFlags = decoderFlags;
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        if (!p.joined()) {
            add(null, time, tracker);
            return;
        }
        // the demuxer's mark, unlike the decoder's flags, comes with every decoder
        boolean lost = p.dataLost() && p.trustworthy();
        boolean flagged = decoderFlags && p.damaged() && p.trustworthy();
        double loggedBefore = decoderFlags && p.trustworthy() ? p.loggedDamageBefore() : Double.NaN;
        if (loggedBefore > 1e-6) {
            loggedAmongWaiting(time - loggedBefore);
        }
        boolean logged = !Double.isNaN(loggedBefore) && !p.keyFrame();
        // the meter sees every picture it judges, so that its level stays current
        boolean looks = pixels != null && (pixelsWithDecoderFlags || !decoderFlags || !p.decoderFlags());
        boolean seen = looks && pixels.damaged(p, time) && p.trustworthy();
        // held back by the decoder and handed out after later pictures were found lost: a keyframe then repairs
        // nothing after it, and damage only carried or logged is no news (out of order, it would split the defect)
        boolean late = time < lastDamaged - 1e-6;
        boolean ownDamage = lost || flagged || seen;
        if (late && !ownDamage) {
            return;
        }
        if (p.keyFrame() && !late) {
            lastKey = time;
        }
        if (carried != null && ((p.keyFrame() && !ownDamage) || time - carriedSince > CARRY_LIMIT)) {
            carried = null; // a keyframe repairs the picture
        }
        Map<String, Object> source =
                lost ? BY_TRANSPORT : flagged ? BY_DECODER : seen ? BY_PIXELS : logged ? BY_LOGGED : carried;
        if (source != null && carried == null) {
            carried = source;
            carriedSince = time;
            if (seen && !flagged && pixels.beganBefore() && size > 0) {
                // a stall: the damage began with the picture before, still waiting here
                int last = (head + size - 1) % LOOKAHEAD;
                if (damage[last] == null) {
                    damage[last] = BY_PIXELS;
                }
            }
        }
        add(source, time, tracker);
    }

    @Override
    public void undecodable(double time, DefectSink tracker) {
        if (!decoderFlags) {
            return;
        }
        if (size > 0 && time < times[(head + size - 1) % LOOKAHEAD]) {
            lostAmongWaiting(time, tracker);
            return;
        }
        if (carried == null) {
            carried = BY_DECODER;
            carriedSince = time;
        }
        add(BY_DECODER, time, tracker);
    }

    /** Whether a picture still waiting for its verdict is damaged (its verdict will be, or begin, a condition). */
    public boolean damageWaiting() {
        return size > 0 && lastDamaged >= times[head] - 1e-6;
    }

    /**
     * A picture lost before pictures already waiting (the decoder's loss is known only once later pictures came
     * out): it takes its place among them, and the waiting pictures after it, up to a keyframe, carry its damage.
     */
    private void lostAmongWaiting(double time, DefectSink tracker) {
        observeOldestIfFull(tracker);
        int at = size;
        while (at > 0 && times[(head + at - 1) % LOOKAHEAD] > time) {
            int from = (head + at - 1) % LOOKAHEAD;
            int to = (head + at) % LOOKAHEAD;
            boolean beforeRepair = lastKey <= time || times[from] < lastKey;
            times[to] = times[from];
            damage[to] = damage[from] != null ? damage[from] : beforeRepair ? BY_DECODER : null;
            at--;
        }
        explainsLogged();
        times[(head + at) % LOOKAHEAD] = time;
        damage[(head + at) % LOOKAHEAD] = BY_DECODER;
        size++;
        lastDamaged = Math.max(lastDamaged, time);
        if (carried == null && time >= lastKey) {
            carried = BY_DECODER;
            carriedSince = time;
        }
    }

    /**
     * Damage the decoder logged once pictures from {@code from} on were handed out: those still waiting, up to a
     * keyframe, are damaged.
     */
    private void loggedAmongWaiting(double from) {
        for (int i = 0; i < size; i++) {
            int at = (head + i) % LOOKAHEAD;
            if (times[at] >= from - 1e-6 && (lastKey <= from || times[at] < lastKey) && damage[at] == null) {
                damage[at] = BY_LOGGED;
                lastDamaged = Math.max(lastDamaged, times[at]);
            }
        }
    }

    /**
     * Damage the decoder flagged, rejected or lost: the logged damage still waiting is taken as the same damage
     * seen earlier by the log's own, timing-dependent placement, and left to the flag, which is exact.
     */
    private void explainsLogged() {
        for (int i = 0; i < size; i++) {
            int at = (head + i) % LOOKAHEAD;
            if (damage[at] == BY_LOGGED) {
                damage[at] = null;
            }
        }
        if (carried == BY_LOGGED) {
            carried = BY_DECODER;
        }
    }

    private void add(Map<String, Object> source, double time, DefectSink tracker) {
        boolean isDamaged = source != null;
        if (isDamaged && source != BY_LOGGED) {
            explainsLogged();
        }
        if (isDamaged) {
            lastDamaged = Math.max(lastDamaged, time);
        } else if (time <= lastDamaged + 1e-6) {
            return; // a decoder may still hand out a picture for a packet it rejected: that picture is not "good"
        }
        observeOldestIfFull(tracker);
        int tail = (head + size) % LOOKAHEAD;
        damage[tail] = source;
        times[tail] = time;
        size++;
    }

    /** Gives the oldest waiting picture its verdict when the lookahead is full, making room for one more. */
    private void observeOldestIfFull(DefectSink tracker) {
        if (size == LOOKAHEAD) {
            tracker.observe(KEY, DefectType.CORRUPTION, damage[head] != null, times[head], damage[head]);
            head = (head + 1) % LOOKAHEAD;
            size--;
        }
    }

    @Override
    public void inputEnded(DefectSink tracker) {
        // damage that began among the last pictures may be a cut-off picture: judge those as intact; damage that was
        // already going on before them goes on to the end
        boolean ongoing = tracker.anyDefective(DefectType.CORRUPTION);
        for (; size > 0; size--, head = (head + 1) % LOOKAHEAD) {
            ongoing &= damage[head] != null;
            tracker.observe(KEY, DefectType.CORRUPTION, ongoing, times[head], ongoing ? damage[head] : null);
        }
        head = 0;
    }

    @Override
    public void reset() {
        lastDamaged = Double.NEGATIVE_INFINITY;
        lastKey = Double.NEGATIVE_INFINITY;
        head = 0;
        size = 0;
        carried = null;
        if (pixels != null) {
            pixels.reset();
        }
    }
}
