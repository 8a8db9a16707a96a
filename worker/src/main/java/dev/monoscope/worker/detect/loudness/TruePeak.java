package dev.monoscope.worker.detect.loudness;

/**
 * True peak (ITU-R BS.1770-4 annex 2): the largest magnitude of the signal between its samples, found by 4×
 * oversampling. The three in-between phases come from a 12-tap Hann-windowed sinc per phase (the kind of interpolator
 * libebur128 uses); the fourth phase is the sample itself. No allocation after construction.
 */
final class TruePeak {

    private static final int FACTOR = 4;
    private static final int TAPS = 12;

    /** [phase-1][tap]: weight of x[n - tap] for the point (phase / 4) sample after x[n - TAPS/2]. */
    private static final double[][] COEFFS = new double[FACTOR - 1][TAPS];
    /** The largest sum of |coefficient| of a phase: no interpolated value exceeds it times the largest |sample|. */
    private static final double GAIN_BOUND;

    static {
        for (int p = 1; p < FACTOR; p++) {
            double sum = 0;
            for (int k = 0; k < TAPS; k++) {
                double u = k - TAPS / 2.0 + (double) p / FACTOR; // distance from x[n - k] to the point, in samples
                double sinc = Math.sin(Math.PI * u) / (Math.PI * u);
                double window = 0.5 * (1 + Math.cos(Math.PI * u / (TAPS / 2.0)));
                COEFFS[p - 1][k] = sinc * window;
                sum += COEFFS[p - 1][k];
            }
            for (int k = 0; k < TAPS; k++) {
                COEFFS[p - 1][k] /= sum; // unity gain at DC in every phase
            }
        }
        double bound = 0;
        for (double[] phase : COEFFS) {
            double l1 = 0;
            for (double c : phase) {
                l1 += Math.abs(c);
            }
            bound = Math.max(bound, l1);
        }
        GAIN_BOUND = bound;
    }

    /** Per channel, the last TAPS samples twice over (so that they can be read without wrapping). */
    private final double[][] history;
    /** Per channel, where its next sample goes. */
    private final int[] pos;
    /** Per channel, samples since the last one that could make an in-between peak over the caller's peak. */
    private final int[] sinceLoud;

    TruePeak(int channels) {
        history = new double[channels][2 * TAPS];
        pos = new int[channels];
        sinceLoud = new int[channels];
    }

    /**
     * Takes sample {@code x} of channel {@code ch} and returns the largest magnitude of the oversampled signal just
     * before it (TAPS/2 samples of delay) — or just |x| when no in-between value can exceed {@code peakSoFar}: when
     * every sample the interpolator reads is under {@code peakSoFar / GAIN_BOUND}, which is most samples of real
     * audio, so the interpolation is skipped there.
     */
    double next(int ch, double x, double peakSoFar) {
        double[] h = history[ch];
        int p0 = pos[ch];
        pos[ch] = p0 + 1 == TAPS ? 0 : p0 + 1;
        h[p0] = x;
        h[p0 + TAPS] = x;
        double peak = Math.abs(x);
        if (peak * GAIN_BOUND >= peakSoFar) {
            sinceLoud[ch] = 0;
        } else if (++sinceLoud[ch] >= TAPS) {
            sinceLoud[ch] = TAPS; // stays put: no overflow however long the quiet
            return peak;
        }
        // h[p0 + TAPS - k] is x[n - k]
        int newest = p0 + TAPS;
        for (int p = 0; p < FACTOR - 1; p++) {
            double[] c = COEFFS[p];
            double y = 0;
            for (int k = 0; k < TAPS; k++) {
                y += c[k] * h[newest - k];
            }
            peak = Math.max(peak, Math.abs(y));
        }
        return peak;
    }
}
