package dev.monoscope.worker.detect;

/**
 * The changes from one picture to the next of content that kept moving ({@link FrameDropDetector}): their typical size
 * (an exponential mean) and the last {@value #RECENT} of them. A picture that catches up after a repeat stands out from
 * both: content that moves in irregular jumps of its own (a slow zoom whose crop is rounded to whole pixels, starved of
 * bits: steps of 0.1 to 13 % of the range) makes such jumps without a repeat before them too.
 */
final class PictureSteps {

    /** How many of the last steps a catch-up must exceed. */
    static final int RECENT = 8;
    /** Weight of each new step in the typical one. */
    static final double WEIGHT = 0.2;

    private final double[] recent = new double[RECENT];
    private int count;
    private int next;
    private double typical = Double.NaN;

    void add(double step) {
        typical = Double.isNaN(typical) ? step : typical + WEIGHT * (step - typical);
        recent[next] = step;
        next = (next + 1) % RECENT;
        count = Math.min(RECENT, count + 1);
    }

    /** The typical step; NaN while none is known. */
    double typical() {
        return typical;
    }

    void clear() {
        typical = Double.NaN;
        count = 0;
        next = 0;
    }

    /**
     * Whether {@code step} stands out: at least {@code factor} × the typical step, and larger than each of the last
     * {@value #RECENT}; true while no step is known.
     */
    boolean standsOut(double step, double factor) {
        if (Double.isNaN(typical)) {
            return true;
        }
        if (step < factor * typical) {
            return false;
        }
        for (int k = 0; k < count; k++) {
            if (recent[k] >= step) {
                return false;
            }
        }
        return true;
    }
}
