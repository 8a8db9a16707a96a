package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.Picture;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Frame drops, over a sliding window of {@value #WINDOW_SECONDS} s of media time: fewer pictures delivered than
 * {@code minRateRatio} × the nominal frame rate, or stutter: pictures repeated (identical luma on a sampled grid,
 * between moving pictures) or skipped (a timestamp step of about two frame durations or more), at least
 * {@value #MIN_STUTTER_EVENTS} of them in the window, or {@value #STUTTER_SHARE} of the nominal rate if more. A run
 * of more than {@value #MAX_REPEAT_RUN} identical pictures is a freeze, not a repeat; repeats in a regular cadence
 * (2:2, 3:2 pull-down, 24 → 30 frame repeat) are the content's, not stutter. Packets the decoder rejected count as
 * delivered (their loss is a corruption), and so do the flushed last pictures of an input that ended.
 * <p>
 * The nominal rate is the stream's, unless the first {@value PictureRate#STEPS} timestamp steps (see
 * {@link PictureRate}) say it is a guess (a field rate: twice the picture rate, or more) or the stream declares none;
 * so pictures missing from the very start at such a ratio are taken for the rate. When the picture rate changes
 * mid-stream (a format change), the window starts over at the new rate; while the timestamps show another broadcast
 * rate that has not held long enough to be the stream's, nothing is judged. Timestamp discontinuities (a step back,
 * or forward by more than {@value #MAX_STEP_SECONDS} s) restart the window, are logged with their size and are
 * counted in {@link #discontinuities()}: a splice or a restarted encoder is not a frame drop. A gap whose pictures the
 * decoder took in and lost (a stall after damage) restarts the window too, and is neither: the stream's clock went on.
 */
public final class FrameDropDetector implements VideoDetector {

    private static final String KEY = DefectType.FRAME_DROP.id();
    static final double WINDOW_SECONDS = 1.0;
    static final double MAX_STEP_SECONDS = 1.0;
    static final int MIN_STUTTER_EVENTS = 2;
    static final int MAX_REPEAT_RUN = 3;
    /** Stutter: repeated or skipped pictures, at least this share of the nominal rate (and two) in the window. */
    static final double STUTTER_SHARE = 0.03;
    /** Mean absolute luma difference (fraction of range) at or under which a picture repeats the previous one. */
    static final double REPEAT_DIFFERENCE = 0.001;
    /**
     * … or at or under this share of the typical step: a repeat is coded again, and MPEG-2 at 4 Mb/s left 0.10 to
     * 0.16 % of coding noise on repeats of content that moved 0.9 % a picture.
     */
    static final double REPEAT_SHARE = 0.25;
    /** … and at or over which the picture moved. */
    static final double MOVING_DIFFERENCE = 0.004;
    /**
     * … and under which it is still enough to keep a cadence: an encoder's noise lifts a repeated picture past
     * {@link #REPEAT_DIFFERENCE} now and then (to 0.15 % on 2:2 credits in HEVC).
     */
    static final double CADENCE_STILL = 0.002;
    /**
     * A picture lost and the previous one shown in its place: the content then catches up, the picture after the
     * repeat changing at least this many times the typical change of one picture, and more than any of the last few
     * ({@link PictureSteps}). Slow pans and zooms repeat pictures without catching up (a position rounded to the same
     * pixel, an encoder that skips a picture that hardly moved), or jump as far without a repeat too. Not 2: content
     * that moves far a picture changes less than twice as much in two (1.4 to 2 × on a test pattern at 25 fps).
     */
    static final double CATCH_UP = 1.3;
    /**
     * Repeats count only while at least this share of the window's pictures moved: content that mostly stands still
     * and moves in jumps (a slow pan starved of bits: the encoder holds the picture, then catches up) is the
     * content's judder, not pictures lost.
     */
    static final double MOVING_SHARE = 0.5;
    /** How much of a gap in the timestamps the pictures the decoder lost must make up for it to be a stall. */
    static final double STALL_ACCOUNTED = 0.9;

    private static final int GRID_SAMPLES = 4096;
    private static final int CAPACITY = 1024;

    private final double minRateRatio;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private Double declaredFps;
    private double nominalFps = Double.NaN;
    private final PictureRate pictureRate = new PictureRate();
    private final TimestampJumps discontinuities = new TimestampJumps();

    // the window: a ring of delivered pictures' media times, whether each repeated, how many were skipped before it
    private final double[] times = new double[CAPACITY];
    private final boolean[] repeated = new boolean[CAPACITY];
    private final boolean[] moving = new boolean[CAPACITY];
    private final boolean[] still = new boolean[CAPACITY];
    private int movingInWindow;
    private final int[] skippedBefore = new int[CAPACITY];
    /** Per picture: pictures before it the decoder took in and lost (corruption's, not a drop). */
    private final int[] lostBefore = new int[CAPACITY];

    private int lostInWindow;
    private int head;
    private int size;
    private int repeatedInWindow;
    private int skippedInWindow;
    private double segmentStart = Double.NaN;

    private double previousPts = Double.NaN;
    private int undecodableSincePicture;

    // repeated pictures: the previous grid, and the run of still pictures since the last moving one
    private int[] grid = new int[0];
    private int gridWidth = -1;
    private int gridHeight = -1;
    private int step = 1;
    private boolean previousMoved;
    private int stillRun;
    private boolean stillRunAfterMotion;
    /** The changes of pictures that follow a changed one. */
    private final PictureSteps steps = new PictureSteps();

    public FrameDropDetector(double minRateRatio) {
        this.minRateRatio = minRateRatio;
    }

    @Override
    public void opened(StreamInfo info, double time, DefectSink tracker) {
        declaredFps = info == null || info.frameRate == null || !(info.frameRate > 0) ? null : info.frameRate;
        nominalFps = Double.NaN;
        pictureRate.reset();
    }

    /** The timestamp discontinuities seen, for Prometheus. */
    public TimestampJumps discontinuities() {
        return discontinuities;
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        double pts = p.pts();
        int skipped = 0;
        if (!Double.isNaN(previousPts)) {
            double dt = pts - previousPts;
            if (dt > MAX_STEP_SECONDS && decoderLostTheGap(dt, p)) {
                restartWindow(); // damage stalled the decoder (a corruption): the stream's clock went on
            } else if (dt < -1e-4 || dt > MAX_STEP_SECONDS) {
                System.err.printf(Locale.ROOT, "monoscope: video timestamps jumped by %+.3f s at %.3f s%n", dt, time);
                discontinuities.jumped(dt);
                restartWindow();
            } else {
                measureRate(dt, p.declaredRate(), time);
                // the flushed last pictures may follow a cut-off capture's missing ones: the input ended, no drop
                if (!Double.isNaN(nominalFps) && p.trustworthy()) {
                    int frames = (int) Math.round(dt * nominalFps);
                    if (dt * nominalFps >= 1.75) {
                        // pictures the decoder took in and lost are damage (corruption), not drops
                        skipped = Math.max(0, frames - 1 - undecodableSincePicture - p.missingBefore());
                    }
                }
            }
        }
        previousPts = pts;
        undecodableSincePicture = 0;
        double difference = readGrid(p);
        add(time, skipped, p.missingBefore());
        trackRepeats(difference);
        if (pictureRate.inQuestion()) {
            // another rate is showing: no verdict against the old one, and none yet against the new one
            tracker.observe(KEY, DefectType.FRAME_DROP, false, time, null);
        } else if (p.trustworthy()) {
            judge(time, tracker);
        }
    }

    /**
     * Whether the decoder took in the pictures of a gap of {@code dt} s before {@code p} and lost them: after damage in
     * a long GOP, HEVC's decoder hands out nothing until the next keyframe, seconds later. Most of the gap's pictures
     * must be accounted for: a splice or a restarted encoder may lose a picture or two at the jump too.
     */
    private boolean decoderLostTheGap(double dt, Picture p) {
        double between = dt * nominalFps - 1;
        return !Double.isNaN(nominalFps) && undecodableSincePicture + p.missingBefore() >= STALL_ACCOUNTED * between;
    }

    @Override
    public void undecodable(double time, DefectSink tracker) {
        undecodableSincePicture++;
        if (!Double.isNaN(segmentStart)) {
            add(time, 0, 0);
        }
    }

    /**
     * Takes the nominal rate from the stream once the picture rate is measured, and follows the picture rate's
     * changes: the window starts over at the new rate.
     */
    private void measureRate(double dt, double declared, double time) {
        if (dt <= 0) {
            return;
        }
        pictureRate.step(dt, time, declared);
        double measured = pictureRate.rate();
        if (Double.isNaN(measured)) {
            return;
        }
        if (Double.isNaN(nominalFps)) {
            // a declared rate of twice the pictures' (a field rate) or more (a time base taken for a rate) is a guess,
            // and so is one that is no broadcast rate where the pictures show one (an MP4's average rate, which
            // counts the pictures that went missing)
            boolean guess = declaredFps != null
                    && (declaredFps / measured >= 1.8
                            || !PictureRate.nearBroadcastRate(declaredFps) && PictureRate.nearBroadcastRate(measured));
            nominalFps = declaredFps == null || guess ? measured : declaredFps;
        } else if (pictureRate.changed()) {
            nominalFps = measured;
            restartWindow();
        }
    }

    private void add(double time, int skipped, int lost) {
        if (Double.isNaN(segmentStart)) {
            segmentStart = time;
        }
        if (size == CAPACITY) {
            drop();
        }
        int i = (head + size) % CAPACITY;
        times[i] = time;
        repeated[i] = false;
        moving[i] = false;
        still[i] = false;
        skippedBefore[i] = skipped;
        lostBefore[i] = lost;
        lostInWindow += lost;
        skippedInWindow += skipped;
        size++;
        double from = time - WINDOW_SECONDS + (Double.isNaN(nominalFps) ? 0 : 0.5 / nominalFps);
        while (size > 0 && times[head] < from) {
            drop();
        }
    }

    private void drop() {
        if (repeated[head]) {
            repeatedInWindow--;
        }
        if (moving[head]) {
            movingInWindow--;
        }
        skippedInWindow -= skippedBefore[head];
        lostInWindow -= lostBefore[head];
        head = (head + 1) % CAPACITY;
        size--;
    }

    private void restartWindow() {
        head = 0;
        size = 0;
        repeatedInWindow = 0;
        movingInWindow = 0;
        skippedInWindow = 0;
        lostInWindow = 0;
        segmentStart = Double.NaN;
        stillRun = 0;
        stillRunAfterMotion = false;
        steps.clear();
    }

    /**
     * Marks the pictures of a short still run as repeated once a moving picture ends it, catching up on the content:
     * up to {@value #MAX_REPEAT_RUN} pictures that repeat the one before, between moving ones, are repeats; a longer
     * run is a freeze, a run after pictures that hardly moved is static content, and one after which the content moves
     * on by a single step is slow motion (or a cadence), not a lost picture.
     */
    private void trackRepeats(double difference) {
        if (size > 0) {
            still[(head + size - 1) % CAPACITY] = difference < CADENCE_STILL;
        }
        if (difference <= Math.max(REPEAT_DIFFERENCE, REPEAT_SHARE * steps.typical())) { // false while NaN
            if (stillRun == 0) {
                stillRunAfterMotion = previousMoved;
            }
            stillRun++;
            previousMoved = false;
            return;
        }
        boolean moved = difference >= MOVING_DIFFERENCE; // false too for NaN: nothing to compare with
        if (moved && size > 0) {
            moving[(head + size - 1) % CAPACITY] = true;
            movingInWindow++;
        }
        boolean caughtUp = steps.standsOut(difference, CATCH_UP);
        if (stillRun == 0 && !Double.isNaN(difference)) {
            steps.add(difference);
        }
        if (moved && caughtUp && stillRunAfterMotion && stillRun > 0 && stillRun <= MAX_REPEAT_RUN && stillRun < size) {
            for (int k = 1; k <= stillRun; k++) {
                int i = (head + size - 1 - k) % CAPACITY;
                if (!repeated[i]) {
                    repeated[i] = true;
                    repeatedInWindow++;
                }
            }
        }
        stillRun = 0;
        previousMoved = moved;
    }

    private void judge(double time, DefectSink tracker) {
        if (Double.isNaN(nominalFps) || time - segmentStart < WINDOW_SECONDS - 0.5 / nominalFps) {
            return;
        }
        double fps = (size + lostInWindow) / WINDOW_SECONDS;
        boolean slow = fps < minRateRatio * nominalFps;
        boolean mostlyMoving = movingInWindow >= MOVING_SHARE * size;
        int repeats = repeatedInWindow > 0 && mostlyMoving ? repeatsOffCadence() : 0;
        boolean stutter = repeats + skippedInWindow >= Math.max(MIN_STUTTER_EVENTS, STUTTER_SHARE * nominalFps);
        boolean defective = slow || stutter;
        if (defective) {
            details.put("fps", Math.round(fps * 100) / 100.0);
            details.put("nominalFps", PictureRate.rounded(nominalFps));
            details.put("repeated", repeats);
            details.put("skipped", skippedInWindow);
        }
        tracker.observe(KEY, DefectType.FRAME_DROP, defective, time, defective ? details : null);
    }

    /**
     * The window's repeats that break its cadence. When its still pictures recur with a period of 2 to 6 pictures
     * (2:2, 3:2 pull-down, 24 → 30 frame repeat), nearly all of them one period after another, a repeat that has a
     * still picture one period before or after it is the content's. The still pictures say the cadence, not the
     * repeats counted (those the content caught up after): a content step no larger than usual, or an encoder's noise
     * on a repeated picture, leaves repeats uncounted here and there, and the rest looked irregular (2:2 credits at
     * 50 fps in HEVC: 13 of 25 repeats a second counted, a frame drop where nothing was lost).
     */
    private int repeatsOffCadence() {
        int period = cadence();
        int count = 0;
        for (int k = 0; k < size; k++) {
            boolean onCadence = period > 0
                    && (k >= period && still[(head + k - period) % CAPACITY]
                            || k + period < size && still[(head + k + period) % CAPACITY]);
            count += repeated[(head + k) % CAPACITY] && !onCadence ? 1 : 0;
        }
        return count;
    }

    /** The period (2 to 6 pictures) with which the window's still pictures recur, nearly all of them; 0 if none. */
    private int cadence() {
        for (int period = 2; period <= 6; period++) {
            int stills = 0;
            int periodic = 0;
            for (int k = period; k < size; k++) {
                if (still[(head + k) % CAPACITY]) {
                    stills++;
                    periodic += still[(head + k - period) % CAPACITY] ? 1 : 0;
                }
            }
            if (stills >= 2 && periodic >= 0.8 * stills) {
                return period;
            }
        }
        return 0;
    }

    /**
     * Reads the luma grid and compares it with the previous picture's: the mean absolute difference, as a fraction
     * of the sample range (NaN for the first picture of a size).
     */
    private double readGrid(Picture p) {
        int w = p.width();
        int h = p.height();
        boolean first = w != gridWidth || h != gridHeight;
        if (first) {
            step = p.gridStep(GRID_SAMPLES);
            grid = new int[p.gridPoints(step)];
            gridWidth = w;
            gridHeight = h;
        }
        int[] g = grid;
        long diff = 0;
        int i = 0;
        int columns = p.gridColumns(step);
        for (int y = step / 2; y < h; y += step) {
            int[] row = p.gridRow(y, step);
            for (int k = 0; k < columns; k++, i++) {
                int v = row[k];
                diff += Math.abs(v - g[i]);
                g[i] = v;
            }
        }
        return first ? Double.NaN : diff / ((double) p.maxValue() * Math.max(1, g.length));
    }

    @Override
    public void reset() {
        restartWindow();
        previousPts = Double.NaN;
        undecodableSincePicture = 0;
        gridWidth = -1;
        gridHeight = -1;
        previousMoved = false;
    }
}
