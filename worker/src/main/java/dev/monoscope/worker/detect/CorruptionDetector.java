package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.defect.DefectTracker;

/**
 * Corrupted pictures: those the decoder flags as damaged or concealed ({@code AVFrame.decode_error_flags},
 * {@code AV_FRAME_FLAG_CORRUPT}), and packets it rejects outright (their pictures are lost). The tracker raises at once and merges damage within its merge window.
 * Not defects: pictures before the first keyframe after joining, and a cut-off final picture. A picture is cut off
 * when the input ends (or is lost) right after it, and the decoder hands pictures out a few late (threads,
 * reordering), so verdicts wait {@value #LOOKAHEAD} pictures; those still waiting when the input ends are dropped.
 */
public final class CorruptionDetector implements VideoDetector {

    private static final String KEY = DefectType.CORRUPTION.id();
    static final int LOOKAHEAD = 8;

    private final boolean[] damaged = new boolean[LOOKAHEAD];
    private final double[] times = new double[LOOKAHEAD];
    private int head;
    private int size;
    private double lastDamaged = Double.NEGATIVE_INFINITY;

    @Override
    public void picture(Picture p, double time, DefectTracker tracker) {
        add(p.damaged() && p.trustworthy(), time, tracker);
    }

    @Override
    public void undecodable(double time, DefectTracker tracker) {
        add(true, time, tracker);
    }

    private void add(boolean isDamaged, double time, DefectTracker tracker) {
        if (isDamaged) {
            lastDamaged = Math.max(lastDamaged, time);
        } else if (time <= lastDamaged + 1e-6) {
            return; // a decoder may still hand out a picture for a packet it rejected: that picture is not "good"
        }
        if (size == LOOKAHEAD) {
            tracker.observe(KEY, DefectType.CORRUPTION, damaged[head], times[head], null);
            head = (head + 1) % LOOKAHEAD;
            size--;
        }
        int tail = (head + size) % LOOKAHEAD;
        damaged[tail] = isDamaged;
        times[tail] = time;
        size++;
    }

    @Override
    public void inputEnded(DefectTracker tracker) {
        // damage that began among the last pictures may be a cut-off picture: judge those as intact; damage that was
        // already going on before them goes on to the end
        boolean ongoing = tracker.anyDefective(DefectType.CORRUPTION);
        for (; size > 0; size--, head = (head + 1) % LOOKAHEAD) {
            tracker.observe(KEY, DefectType.CORRUPTION, ongoing && damaged[head], times[head], null);
            ongoing &= damaged[head];
        }
        head = 0;
    }

    @Override
    public void reset() {
        lastDamaged = Double.NEGATIVE_INFINITY;
        head = 0;
        size = 0;
    }
}
