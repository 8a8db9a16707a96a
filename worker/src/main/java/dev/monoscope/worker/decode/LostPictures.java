package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Pictures the decoder took in and never handed out. MPEG-TS, MP4 and HLS carry one picture per packet, so a
 * packet whose timestamp is passed by later pictures without its own picture coming out was lost in the decoder.
 * HEVC's decoder, for one, drops a damaged picture ("undecodable NALU", "error constructing the frame RPS") without
 * flagging anything or refusing the packet: the missing picture is the only trace of the damage. Judged only once the
 * stream has shown one picture per packet for {@value #WARM_UP} pictures (a stream that carries each field in a
 * packet of its own never does), never for what precedes the first picture after joining, and with a grace of
 * {@value #GRACE} pictures (a decoder that grows its reorder buffer hands a picture out late). A decoder that hands
 * out nothing while it takes in more pictures than it can hold back ({@value #MAX_REORDER} reordered, one per frame
 * thread, the grace) lost the earliest of them: after damage, HEVC's decoder can skip every picture up to the next
 * keyframe, seconds later, and the loss is known packet by packet instead of when that keyframe comes out.
 */
final class LostPictures {

    static final int WARM_UP = 50;
    static final int GRACE = 4;
    /** Pictures awaited at most: more than any decoder holds back. */
    private static final int CAPACITY = 64;
    /** The most pictures a decoder reorders (H.264's and HEVC's largest picture buffer). */
    static final int MAX_REORDER = 16;
    /** Pictures found lost that a later one has not come out after yet, kept at most: 20 s at 50 fps. */
    private static final int LOST_KEPT = 1000;

    private final TreeSet<Long> awaited = new TreeSet<>();
    /** Passed by a later picture: how many more pictures each may still come out late. */
    private final Map<Long, Integer> overdue = new HashMap<>();
    /** The pictures sent since the decoder last handed one out, in the order sent. */
    private final ArrayDeque<Long> sinceDelivered = new ArrayDeque<>();

    private long first = AV_NOPTS_VALUE;
    private long earliestLost = AV_NOPTS_VALUE;
    private int passedOver;
    /**
     * Pictures found lost by {@link #sent}, until a later picture comes out (pictures the decoder held back may come
     * out first, with the keyframe that ends a stall).
     */
    private final TreeSet<Long> lostUnpassed = new TreeSet<>();

    private boolean heldBack;

    private int delivered;
    private boolean judged = true;

    /**
     * The decoder of {@code threads} frame threads accepted a video packet with this timestamp.
     *
     * @return how many pictures are now known lost: those the decoder cannot be holding back any more
     */
    int sent(long pts, int threads) {
        if (pts == AV_NOPTS_VALUE || !judged) {
            return 0;
        }
        awaited.add(pts);
        if (awaited.size() > CAPACITY) {
            awaited.pollFirst(); // a jump back in time left it behind: not judged
        }
        sinceDelivered.add(pts);
        earliestLost = AV_NOPTS_VALUE;
        int lost = 0;
        while (delivered >= WARM_UP && sinceDelivered.size() > MAX_REORDER + Math.max(1, threads) + GRACE) {
            long stalled = sinceDelivered.poll();
            if (awaited.remove(stalled) && stalled > first) {
                lost++;
                lostUnpassed.add(stalled);
                if (lostUnpassed.size() > LOST_KEPT) {
                    lostUnpassed.pollFirst();
                }
                earliestLost = earliestLost == AV_NOPTS_VALUE ? stalled : Math.min(earliestLost, stalled);
            }
        }
        return lost;
    }

    /**
     * The decoder handed out the picture of {@code pts}, one the monitor judges (after joining).
     *
     * @return how many pictures are now known lost
     */
    int delivered(long pts) {
        passedOver = 0;
        heldBack = false;
        if (pts == AV_NOPTS_VALUE || !judged) {
            return 0;
        }
        if (first == AV_NOPTS_VALUE) {
            first = pts;
        }
        awaited.remove(pts);
        overdue.remove(pts);
        sinceDelivered.clear();
        int lost = countDown();
        lostUnpassed.remove(pts); // came out after all
        heldBack = !lostUnpassed.isEmpty() && lostUnpassed.first() > pts;
        SortedSet<Long> lostBefore = lostUnpassed.headSet(pts);
        passedOver = lostBefore.size();
        lostBefore.clear();
        for (Iterator<Long> it = awaited.headSet(pts).iterator(); it.hasNext(); ) {
            long passed = it.next();
            it.remove();
            passedOver++;
            if (passed > first) {
                overdue.put(passed, GRACE); // pictures before the first (open-GOP leading ones) are not judged
            }
        }
        if (++delivered <= WARM_UP && lost > 0) {
            judged = false; // not one picture per packet: this stream cannot be judged this way
            awaited.clear();
            overdue.clear();
            sinceDelivered.clear();
            lostUnpassed.clear();
            return 0;
        }
        return lost;
    }

    /**
     * Pictures before the one {@link #delivered} last that the decoder took in and has not handed out: those it passed
     * over (lost, or coming late), and those found lost while it handed out nothing that no picture came after yet.
     */
    int passedOver() {
        return passedOver;
    }

    /** Whether the picture {@link #delivered} last comes out after pictures sent after it were found lost. */
    boolean heldBack() {
        return heldBack;
    }

    /** The timestamp of the earliest picture found lost by the last {@link #sent} or {@link #delivered}. */
    long earliestLost() {
        return earliestLost;
    }

    private int countDown() {
        int lost = 0;
        earliestLost = AV_NOPTS_VALUE;
        for (Iterator<Map.Entry<Long, Integer>> it = overdue.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Integer> e = it.next();
            if (e.getValue() <= 1) {
                it.remove();
                lost++;
                earliestLost = earliestLost == AV_NOPTS_VALUE ? e.getKey() : Math.min(earliestLost, e.getKey());
            } else {
                e.setValue(e.getValue() - 1);
            }
        }
        return lost;
    }
}
