package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.Picture;

/**
 * Frozen video, after FFmpeg freezedetect: a run of pictures whose mean absolute luma difference to the run's first
 * picture stays at or under {@code noise} of the sample range. Encoders keep touching a frozen picture, so these do
 * not end a run: a picture that drifted a little further (up to {@value #DRIFT_FACTOR}× noise) but hardly differs
 * from the one before it; a single odd picture after which the picture is the run's again; and a refresh (often at
 * a keyframe): a picture within the drift limit that the next picture repeats. The last two need the next picture,
 * so a picture that breaks a run waits one picture for its verdict. Reads a grid of about {@code samples} luma points.
 */
public final class FreezeDetector implements VideoDetector {

    private static final String KEY = DefectType.FREEZE.id();
    static final double DRIFT_FACTOR = 4;

    private final double noise;
    private final int samples;
    private int step = 1;
    private int[] reference = new int[0];
    private int[] previous = new int[0];
    private int[] current = new int[0];
    private int[] odd = new int[0];
    private int width = -1;
    private int height = -1;
    private double runStart = Double.NaN;
    /** The picture waiting for its verdict: it differed from the run, unless the next one matches the run again. */
    private boolean oddPending;

    private double oddTime;
    /** The odd picture is within the drift limit of the run's first: if the next one is the same, it was a refresh. */
    private boolean oddNearRun;

    private double lastMafdRef;
    private double readMafdRef;
    private double readMafdPrev;
    /** Whether some picture of the current run matched its first one. */
    private boolean runFrozen;

    /** @param samples how many luma samples to compare per picture, about (0: every one) */
    public FreezeDetector(double noise, int samples) {
        this.noise = noise;
        this.samples = samples;
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        if (!read(p)) {
            startRun(current, time);
            return;
        }
        boolean matchesRun = continuesRun(readMafdRef, readMafdPrev);
        if (oddPending) {
            oddPending = false;
            if (matchesRun || (oddNearRun && difference(current, odd, p.maxValue()) <= noise)) {
                // the odd picture was a refresh: it and this one continue the run
                tracker.observe(KEY, DefectType.FREEZE, true, runStart, oddTime, null);
                tracker.observe(KEY, DefectType.FREEZE, true, runStart, time, null);
                System.arraycopy(current, 0, previous, 0, current.length);
                return;
            }
            // the picture really changed at the odd one: a new run starts there
            tracker.observe(KEY, DefectType.FREEZE, false, oddTime, oddTime, null);
            startRun(odd, oddTime);
            double toOdd = difference(current, odd, p.maxValue());
            matchesRun = continuesRun(toOdd, toOdd);
        }
        if (matchesRun) {
            tracker.observe(KEY, DefectType.FREEZE, true, runStart, time, null);
            System.arraycopy(current, 0, previous, 0, current.length);
        } else if (runFrozen) {
            oddPending = true; // wait for the next picture to tell a refresh from a change
            oddTime = time;
            oddNearRun = lastMafdRef <= noise * DRIFT_FACTOR;
            System.arraycopy(current, 0, odd, 0, current.length);
        } else {
            tracker.observe(KEY, DefectType.FREEZE, false, time, time, null);
            startRun(current, time);
        }
    }

    @Override
    public void inputEnded(DefectSink tracker) {
        if (oddPending) {
            tracker.observe(KEY, DefectType.FREEZE, false, oddTime, oddTime, null);
            oddPending = false;
        }
    }

    private void startRun(int[] first, double time) {
        runStart = time;
        runFrozen = false;
        System.arraycopy(first, 0, reference, 0, first.length);
        System.arraycopy(first, 0, previous, 0, first.length);
    }

    /** Whether a picture this far from the run's first picture and from the previous one continues the run. */
    private boolean continuesRun(double mafdRef, double mafdPrev) {
        boolean frozen = mafdRef <= noise || (mafdRef <= noise * DRIFT_FACTOR && mafdPrev <= noise);
        lastMafdRef = mafdRef;
        if (frozen) {
            runFrozen = true;
        }
        return frozen;
    }

    /** Mean absolute difference of two grids, as a fraction of the sample range. */
    private static double difference(int[] a, int[] b, int maxValue) {
        long diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += Math.abs(a[i] - b[i]);
        }
        return diff / ((double) maxValue * Math.max(1, a.length));
    }

    /**
     * Reads the grid into {@link #current} and measures it against the run's first and the previous picture;
     * false when the picture size changed or no run started yet (nothing to compare with).
     */
    private boolean read(Picture p) {
        int w = p.width();
        int h = p.height();
        boolean sameSize = w == width && h == height;
        if (!sameSize) {
            step = p.gridStep(samples);
            int n = p.gridPoints(step);
            reference = new int[n];
            previous = new int[n];
            current = new int[n];
            odd = new int[n];
            width = w;
            height = h;
        }
        int i = 0;
        int[] cur = current;
        int[] ref = reference;
        int[] prev = previous;
        long diffRef = 0;
        long diffPrev = 0;
        int columns = p.gridColumns(step);
        for (int y = step / 2; y < h; y += step) {
            int[] row = p.gridRow(y, step);
            for (int k = 0; k < columns; k++, i++) {
                int v = row[k];
                cur[i] = v;
                diffRef += Math.abs(v - ref[i]);
                diffPrev += Math.abs(v - prev[i]);
            }
        }
        double range = (double) p.maxValue() * Math.max(1, cur.length);
        readMafdRef = diffRef / range;
        readMafdPrev = diffPrev / range;
        return sameSize && !Double.isNaN(runStart);
    }

    @Override
    public void reset() {
        width = -1;
        height = -1;
        runStart = Double.NaN;
        oddPending = false;
        runFrozen = false;
    }
}
