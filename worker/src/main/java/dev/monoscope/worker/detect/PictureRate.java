package dev.monoscope.worker.detect;

import java.util.Arrays;

/**
 * The picture rate as the timestamps show it, and its changes mid-stream. The rate is measured over the last
 * {@value #STEPS} timestamp steps: the mean of the steps near their median, so that missing pictures (a double step
 * now and then), repeated ones and timestamps rounded to the millisecond do not move it. The first measurement is
 * the stream's rate. A change is taken only when the measured rate is a broadcast picture rate (23.976 to 120) other
 * than the stream's and stays that for {@value #HOLD_SECONDS} s: a stream whose pictures go missing at some odd
 * ratio (half of 25 is 12.5) drops frames, it did not change its rate. Half a 50 fps stream's pictures missing looks
 * exactly like 25 fps: where the bitstream declares its rate, a slower rate while it still declares the stream's is
 * pictures missing (an encoder that changes its rate starts a new sequence that declares the new one); where it
 * declares none, it is taken for a change. Steps must be positive and short: discontinuities are the caller's.
 */
public final class PictureRate {

    /** Timestamp steps measured. */
    static final int STEPS = 25;
    /** How long a new rate must hold before it is the stream's. */
    static final double HOLD_SECONDS = 1.0;
    /** Steps within this fraction of the median are averaged. */
    private static final double NEAR_MEDIAN = 0.25;
    /** A measured rate this close (relative) to a broadcast rate is that rate. */
    private static final double SNAP = 0.01;

    private static final double[] BROADCAST_RATES = {
        24000 / 1001.0,
        24,
        25,
        30000 / 1001.0,
        30,
        48000 / 1001.0,
        48,
        50,
        60000 / 1001.0,
        60,
        100,
        120000 / 1001.0,
        120
    };

    private final double[] steps = new double[STEPS];
    private final double[] sorted = new double[STEPS];
    private int count;
    private int next;

    private double rate = Double.NaN;
    private double candidate = Double.NaN;
    private double candidateSince;
    /** The first picture of the current run of steps that do not fit the stream's rate, or NaN. */
    private double offRateSince = Double.NaN;

    private boolean changed;
    private double previousRate = Double.NaN;
    private double changedAt = Double.NaN;

    /**
     * One timestamp step (seconds, positive, no discontinuity) ending at the picture shown at media time
     * {@code time}, whose bitstream declares the rate {@code declared} (NaN: none). Afterwards {@link #changed()}
     * says whether it confirmed a new rate.
     */
    public void step(double dt, double time, double declared) {
        changed = false;
        steps[next] = dt;
        next = (next + 1) % STEPS;
        if (count < STEPS) {
            count++;
            if (count == STEPS) {
                rate = snap(measure());
            }
            return;
        }
        offRateSince =
                Math.abs(dt * rate - 1) <= NEAR_MEDIAN ? Double.NaN : Double.isNaN(offRateSince) ? time : offRateSince;
        double measured = snap(measure());
        boolean missing = measured < rate && same(rate, declared);
        if (!isBroadcastRate(measured) || same(measured, rate) || missing) {
            candidate = Double.NaN;
            return;
        }
        if (Double.isNaN(candidate) || !same(measured, candidate)) {
            candidate = measured;
            candidateSince = time;
            return;
        }
        if (time - candidateSince >= HOLD_SECONDS) {
            previousRate = rate;
            rate = candidate;
            changedAt = Double.isNaN(offRateSince) || offRateSince > candidateSince ? candidateSince : offRateSince;
            changed = true;
            candidate = Double.NaN;
            offRateSince = Double.NaN;
        }
    }

    /** The mean of the steps within {@link #NEAR_MEDIAN} of their median, as a rate (per second). */
    private double measure() {
        System.arraycopy(steps, 0, sorted, 0, STEPS);
        Arrays.sort(sorted);
        double median = sorted[STEPS / 2];
        double sum = 0;
        int n = 0;
        for (double s : sorted) {
            if (Math.abs(s - median) <= NEAR_MEDIAN * median) {
                sum += s;
                n++;
            }
        }
        return n / sum;
    }

    /** The broadcast rate within {@link #SNAP} of {@code fps}, else {@code fps} itself. */
    private static double snap(double fps) {
        for (double r : BROADCAST_RATES) {
            if (Math.abs(fps - r) <= SNAP * r) {
                return closest(fps, r);
            }
        }
        return fps;
    }

    /** 23.976 and 24 are both within reach of either: the nearer one. */
    private static double closest(double fps, double first) {
        double best = first;
        for (double r : BROADCAST_RATES) {
            if (Math.abs(fps - r) < Math.abs(fps - best)) {
                best = r;
            }
        }
        return best;
    }

    /** Whether {@code fps} is a broadcast picture rate, within {@link #SNAP}. */
    static boolean nearBroadcastRate(double fps) {
        return isBroadcastRate(snap(fps));
    }

    private static boolean isBroadcastRate(double fps) {
        for (double r : BROADCAST_RATES) {
            if (fps == r) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 0.02 * b;
    }

    /** The stream's picture rate (per second), or NaN before {@value #STEPS} steps were seen. */
    public double rate() {
        return rate;
    }

    /** Whether the measured rate is another broadcast rate than the stream's, not yet for long enough to be it. */
    public boolean inQuestion() {
        return !Double.isNaN(candidate);
    }

    /** Whether the last step confirmed a new rate. */
    public boolean changed() {
        return changed;
    }

    /** The rate before the last change. */
    public double previousRate() {
        return previousRate;
    }

    /** Media time of the first picture at the new rate, about, for the last change. */
    public double changedAt() {
        return changedAt;
    }

    /** The rate rounded for people: 25, 29.97, 23.976. */
    public static double rounded(double fps) {
        return Math.round(fps * 1000) / 1000.0;
    }

    /** Starts over: the next {@value #STEPS} steps measure the stream's rate again. */
    public void reset() {
        count = 0;
        next = 0;
        rate = Double.NaN;
        candidate = Double.NaN;
        offRateSince = Double.NaN;
        changed = false;
    }
}
