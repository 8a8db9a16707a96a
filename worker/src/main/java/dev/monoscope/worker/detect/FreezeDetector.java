package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.Picture;
import java.util.Arrays;

/**
 * Frozen video: a run of pictures that all show the run's first picture, compared block by block. The picture is cut
 * into blocks of about {@value #BLOCK_PIXELS} × {@value #BLOCK_PIXELS} pixels, and each block's mean luma is compared
 * with the same block of the run's first picture. Grain, encoder noise, the refinement of a frozen picture over the
 * following pictures and its re-encoding at a keyframe (at a starved bitrate, several percent of the range pixel for
 * pixel) average out of a block mean; anything that moves, even one small element (a clock, a ticker, a 32 × 32 box at
 * 1080p), changes the means of the blocks it leaves and enters. So a picture continues the run when no block mean moved
 * more than {@value #LOCAL_CHANGE} of the range and their mean change stays at or under {@code noise} plus
 * {@value #CODING_NOISE}. A keyframe may add {@value #KEYFRAME_NOISE} × as much coding noise (it re-encodes the frozen
 * picture whole), and the pictures after it are compared with it, as after an encoder's refinement of the held picture
 * that moved it as far and stopped ({@link Refinement}: the verdict waits for it to stop); a run that started a picture
 * or two before a freeze may be compared with one of its first pictures instead ({@link #reanchored}), and one that
 * started in slow motion settling into the freeze starts where that motion stopped ({@link #settledStart}). One odd
 * picture (a flash, a damaged picture) after which the run's picture is back does not end the run: it waits one picture
 * for its verdict. The run starts at its first picture and ends at the first new one. Reads every pixel of the rows of
 * the grid of about {@code samples} points (every 10th row at 1080p). Block means cannot see a slow pan or zoom, which
 * shifts the picture by a pixel a few pictures, nor one small element that moves: twice a second from a second into
 * the run, {@link RunMotion} looks for them since the picture {@value #MOTION_REFERENCE_AT} s into the run, and when
 * it finds any, the run ends there (not since the run's first picture: a run that starts a picture or two before a
 * freeze, in slow motion the block means let pass, would be found moving and lose its start). A pan or zoom of the
 * whole picture is also looked for since one of its first pictures ({@link #keep}): when that one moved, the run starts
 * after it. A freeze is raised only once a look past its minimum duration found nothing ({@link #frozenUntil}).
 */
public final class FreezeDetector implements VideoDetector {

    private static final String KEY = DefectType.FREEZE.id();
    /** A block is about this many pixels high and wide (whole grid rows). */
    static final int BLOCK_PIXELS = 28;

    /** The largest block-mean change (share of the range) in a frozen picture; a moving element exceeds it. */
    static final double LOCAL_CHANGE = 0.045;
    /** Coding noise left in block means of a frozen picture at starved bitrates (fraction of the range, mean). */
    static final double CODING_NOISE = 0.006;
    /** How many times coding noise the run's pictures may differ from its first by, on average, … */
    static final double DRIFT_NOISE = 2;
    /** …and a keyframe, which re-encodes the frozen picture whole (the pictures after it then as much). */
    static final double KEYFRAME_NOISE = 3;
    /** How many times as far a keyframe may move a block (a starved H.264 re-encoding: 8.7 %, mean 1.65 %). */
    static final double KEYFRAME_BLOCK = 2;
    /** How many of a run's pictures after its first may be compared with instead ({@link #reanchored}). */
    static final int HEAD = 2;
    /** How many of a run's first pictures are kept, at most: those of its first {@value #MOTION_REFERENCE_AT} s. */
    static final int HEAD_KEPT = 32;
    /** How far into a run the picture that motion is measured from is taken (seconds). */
    static final double MOTION_REFERENCE_AT = 0.5;
    /** The longest stretch without a picture a run goes on through (s): not a decoder's wait after damage. */
    static final double MAX_UNSEEN = 1.0;

    private final double noise;
    private final int samples;
    /** The blocks for the picture size last seen, or null. */
    private BlockGrid grid;

    /** The run's first picture's block sums. */
    private int[] first = new int[0];
    /** What the run's pictures are compared with: its first picture, or the keyframe that re-encoded it last. */
    private int[] reference = new int[0];
    /** Per block, the most its sum may change (for samples up to {@code limitsMax}); at a keyframe, twice that. */
    private long[] blockLimit = new long[0];

    private long[] keyframeLimit = new long[0];
    private int limitsMax;
    /** How far the run's pictures may drift from its first: as far as a keyframe moved them. */
    private final DriftAllowance allowance = new DriftAllowance();

    /** The run's pictures after its first in its first {@value #MOTION_REFERENCE_AT} s. */
    private final RunHead head = new RunHead(HEAD_KEPT);

    private int[] current = new int[0];
    private int[] odd = new int[0];
    private byte[] row = new byte[0];
    private double runStart = Double.NaN;
    /** Until when the last picture read shows (its time plus its duration). */
    private double seenUntil = Double.NaN;
    /** The first of the kept pictures that follow the run's first: after {@link #reanchored}, not the first kept. */
    private int settleFrom;
    /** Whether some picture of the current run matched its first one. */
    private boolean runFrozen;
    /** The picture waiting for its verdict: it differed from the run, unless the next one matches the run again. */
    private boolean oddPending;

    private double oddTime;

    private final RunMotion motion;
    /** The time of the picture after the one {@link RunMotion#start} took, or NaN. */
    private double afterStart = Double.NaN;

    private final Refinement refinement = new Refinement();

    /** @param samples how many luma samples the grid has per picture, about (0: every one) */
    public FreezeDetector(double noise, int samples) {
        this.noise = noise;
        this.samples = samples;
        this.motion = new RunMotion(samples);
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        double unseenFrom = seenUntil;
        seenUntil = time + p.duration();
        if (!read(p)) {
            startRun(current, time);
            return;
        }
        if (time - unseenFrom > MAX_UNSEEN) {
            inputEnded(tracker); // an odd picture waiting for its verdict gets none
            tracker.observe(KEY, DefectType.FREEZE, false, unseenFrom, unseenFrom, null);
            startRun(current, time);
            return;
        }
        if (refinement.active()) {
            refining(p, time, tracker);
            return;
        }
        boolean matchesRun = continuesRun(p);
        if (oddPending) {
            oddPending = false;
            if (matchesRun) {
                // the odd picture was a one-off: it and this one continue the run
                frozenUntil(oddTime, tracker);
                frozenUntil(time, tracker);
                return;
            }
            // the picture really changed at the odd one: a new run starts there
            tracker.observe(KEY, DefectType.FREEZE, false, oddTime, oddTime, null);
            startRun(odd, oddTime);
            matchesRun = continuesRun(p);
        }
        if (matchesRun && moved(p, time, tracker)) {
            // the picture moves slowly, or a small part of it moves: what ran so far was no freeze; a new run starts
            tracker.observe(KEY, DefectType.FREEZE, false, time, time, null);
            startRun(current, time);
            return;
        }
        if (matchesRun) {
            runFrozen = true;
            if (motion.referenced() && p.keyFrame()) {
                motion.reEncoded(p);
            }
            if (!motion.referenced()) {
                keep(p, time);
            }
            frozenUntil(time, tracker);
        } else if (runFrozen && reanchored(p)) {
            tracker.startsLater(KEY, runStart);
            frozenUntil(time, tracker);
        } else if (!runFrozen) {
            tracker.observe(KEY, DefectType.FREEZE, false, time, time, null);
            startRun(current, time);
        } else if (!refinementBegins(p, time)) { // a refinement: the verdict waits for the change to stop
            oddPending = true; // wait for the next picture to tell a one-off from a change
            oddTime = time;
            System.arraycopy(current, 0, odd, 0, current.length);
        }
    }

    /**
     * Whether, looked at now, the picture moved ({@link RunMotion}); the picture {@value #MOTION_REFERENCE_AT} s into
     * the run is what the looks compare with.
     */
    private boolean moved(Picture p, double time, DefectSink tracker) {
        if (!motion.referenced()) {
            if (time - runStart >= MOTION_REFERENCE_AT - 1e-6) {
                settledStart(p.maxValue(), tracker);
                motion.reference(p, time);
            }
            return false;
        }
        RunMotion.Look look = motion.look(p, time, runStart);
        if (look == RunMotion.Look.MOVED_SINCE_START && !Double.isNaN(afterStart)) {
            motion.forgetStart(); // the picture taken near the start was not frozen yet: the run starts after it
            runStart = Math.max(runStart, afterStart);
            tracker.startsLater(KEY, runStart);
            return false;
        }
        return look == RunMotion.Look.MOVED || look == RunMotion.Look.MOVED_SINCE_START;
    }

    /**
     * Reports the run frozen up to {@code time}; once it is {@value #MOTION_REFERENCE_AT} s long, only up to where
     * {@link RunMotion} last looked at it: a freeze is raised only after a look for motion found none past its minimum
     * duration (a slow zoom that an encoder held still for 1.3 s got 2 s long between two looks, and was raised).
     */
    private void frozenUntil(double time, DefectSink tracker) {
        double confirmed = motion.referenced() ? Math.min(time, motion.lookedAt()) : time;
        tracker.observe(KEY, DefectType.FREEZE, true, runStart, confirmed, null);
    }

    /**
     * Keeps a picture of the run's first {@value #MOTION_REFERENCE_AT} s. The third after the first is also where a
     * pan or zoom is looked for from ({@link RunMotion#start}): it is past the pictures the run's start may still move
     * to ({@link #reanchored}), which may be the last picture of a motion that stopped in the freeze: one a zoom left
     * pixels from the frozen picture, close enough in block means.
     */
    private void keep(Picture p, double time) {
        head.add(current, time, p.keyFrame());
        if (head.count() == HEAD + 1) {
            motion.start(p);
        } else if (head.count() == HEAD + 2) {
            afterStart = time;
        }
    }

    /**
     * Whether the picture just read, which differs from the run's, may begin a {@link Refinement}: it moved the mean by
     * half the coding noise allowed or more (all over, not one element), no further than a keyframe may, and the run
     * is past its first {@value #MOTION_REFERENCE_AT} s (slow motion into a freeze must still break it: its start).
     */
    private boolean refinementBegins(Picture p, double time) {
        int max = p.maxValue();
        boolean begins = motion.referenced()
                && grid.meanChange(current, reference) / max >= (noise + CODING_NOISE) / 2
                && same(current, first, max, KEYFRAME_NOISE, keyframeLimit);
        if (begins) {
            refinement.begin(current, time);
        }
        return begins;
    }

    /**
     * A picture of a refinement: once the picture holds still in time, moved no further than a keyframe may, the run
     * goes on, compared with it as after a keyframe; otherwise the run ended where the refinement began.
     */
    private void refining(Picture p, double time, DefectSink tracker) {
        int max = p.maxValue();
        if (!same(current, first, max, KEYFRAME_NOISE, keyframeLimit) || refinement.tooLong(time)) {
            refinement.end();
            tracker.observe(KEY, DefectType.FREEZE, false, refinement.since(), refinement.since(), null);
            startRun(current, time);
        } else if (refinement.settled(current, max, grid, blockLimit)) {
            allowMoved(max);
            System.arraycopy(current, 0, reference, 0, current.length);
            motion.reEncoded(p); // like a keyframe
            frozenUntil(time, tracker);
        }
    }

    @Override
    public void inputEnded(DefectSink tracker) {
        if (refinement.active()) {
            refinement.end();
            tracker.observe(KEY, DefectType.FREEZE, false, refinement.since(), refinement.since(), null);
        }
        if (oddPending) {
            tracker.observe(KEY, DefectType.FREEZE, false, oddTime, oddTime, null);
            oddPending = false;
        }
    }

    /** A run starts at {@code time} with block sums {@code sums}. */
    private void startRun(int[] sums, double time) {
        runStart = time;
        runFrozen = false;
        refinement.end();
        settleFrom = 0;
        motion.restart();
        afterStart = Double.NaN;
        System.arraycopy(sums, 0, first, 0, sums.length);
        System.arraycopy(sums, 0, reference, 0, sums.length);
        allowance.reset(blockLimit, DRIFT_NOISE);
        head.clear();
    }

    /**
     * Whether the picture just read, which differs from the run's first, matches one of the run's next
     * {@value #HEAD} pictures; if so, the run starts there and is compared with it from now on. A run can start a
     * picture or two before a freeze, on a picture of slow motion that the frozen ones stay just close enough to,
     * until coding noise adds the little more that breaks the run (a slow gradient of clips made like the eval's; the
     * freeze was lost). A freeze already raised keeps the start it was reported with.
     */
    private boolean reanchored(Picture p) {
        for (int k = 0; k < Math.min(HEAD, head.count()); k++) {
            if (same(current, head.sums(k), p.maxValue(), 1, blockLimit)) {
                System.arraycopy(head.sums(k), 0, first, 0, first.length);
                System.arraycopy(head.sums(k), 0, reference, 0, reference.length);
                runStart = head.time(k);
                settleFrom = k + 1; // the kept pictures after it
                return true;
            }
        }
        return false;
    }

    /**
     * Trims the run's start of the slow motion that ended in the freeze ({@link RunHead#settled}), once
     * {@value #MOTION_REFERENCE_AT} s of it are kept: motion that slows into a freeze passes the block means' limits
     * for a few pictures, and the freeze was reported up to 0.16 s early on the tuning set.
     */
    private void settledStart(int maxValue, DefectSink tracker) {
        int k = head.settled(settleFrom, first, grid, maxValue);
        if (k < 0) {
            return;
        }
        boolean rebased = !Arrays.equals(reference, first);
        System.arraycopy(head.sums(k), 0, first, 0, first.length);
        if (!rebased) {
            System.arraycopy(first, 0, reference, 0, reference.length);
        }
        runStart = head.time(k);
        if (k > HEAD) {
            motion.forgetStart(); // it is before the run's start now
        }
        head.drop(k + 1);
        tracker.startsLater(KEY, runStart);
    }

    /**
     * Whether the picture just read continues the run. A keyframe re-encodes a frozen picture whole, and at a starved
     * bitrate its block means can move by more than the coding noise allowed between predicted pictures (a starved
     * MPEG-2 1080p freeze of the tuning set, just after it started): a keyframe may differ from the run's first
     * picture by {@value #KEYFRAME_NOISE} × as much on average and move a block {@value #KEYFRAME_BLOCK} × as far, and
     * the pictures after it are compared with it. Between keyframes nothing may drift further from the first picture
     * than a keyframe moved it ({@link #allowMoved}): a slow fade cannot creep through keyframe after keyframe, nor a
     * channel bug turning between them (tuning-bug-01).
     */
    private boolean continuesRun(Picture p) {
        int max = p.maxValue();
        if (!p.keyFrame()) {
            // the strict look first: most pictures of moving content fail it (and before a keyframe, pass both)
            return same(current, reference, max, 1, blockLimit)
                    && same(current, first, max, allowance.noiseFactor(), allowance.blocks());
        }
        if (!same(current, first, max, KEYFRAME_NOISE, keyframeLimit)) {
            return false;
        }
        allowMoved(max);
        System.arraycopy(current, 0, reference, 0, current.length);
        return true;
    }

    /** The pictures after a keyframe (or a refinement) may stay as far from the first as it moved. */
    private void allowMoved(int max) {
        double meanMoved = (grid.meanChange(first, current) / max - noise) / CODING_NOISE;
        allowance.moved(grid, first, current, keyframeLimit, meanMoved, KEYFRAME_NOISE);
    }

    /**
     * Whether two pictures' block sums show the same picture: no block changed more than its {@code limits} entry,
     * and little changed overall (coding noise times {@code noiseFactor}).
     */
    private boolean same(int[] a, int[] b, int maxValue, double noiseFactor, long[] limits) {
        return grid.within(a, b, limits, (noise + CODING_NOISE * noiseFactor) * maxValue);
    }

    /**
     * Sums the picture's blocks into {@link #current}; false when the picture size changed or no run started yet
     * (nothing to compare with).
     */
    private boolean read(Picture p) {
        boolean sameSize = grid != null && grid.fits(p);
        if (!sameSize) {
            layout(p);
        }
        if (!sameSize || p.maxValue() != limitsMax) {
            limitsMax = p.maxValue();
            blockLimit = grid.limits(LOCAL_CHANGE, limitsMax);
            keyframeLimit = grid.limits(LOCAL_CHANGE * KEYFRAME_BLOCK, limitsMax);
        }
        grid.sum(p, current, row);
        return sameSize && !Double.isNaN(runStart);
    }

    /** Sizes the blocks for this picture size: whole grid rows, about {@value #BLOCK_PIXELS} pixels high and wide. */
    private void layout(Picture p) {
        grid = new BlockGrid(p, samples, BLOCK_PIXELS);
        int n = grid.counts.length;
        first = new int[n];
        head.layout(n);
        reference = new int[n];
        current = new int[n];
        odd = new int[n];
        row = new byte[p.width() * p.bytesPerSample()];
    }

    @Override
    public void reset() {
        grid = null;
        runStart = Double.NaN;
        seenUntil = Double.NaN;
        oddPending = false;
        runFrozen = false;
        refinement.end();
    }
}
