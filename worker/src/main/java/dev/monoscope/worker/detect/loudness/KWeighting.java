package dev.monoscope.worker.detect.loudness;

/**
 * The K-weighting of ITU-R BS.1770-4: a high-shelf "pre-filter" (the head's acoustic effect) and the RLB high-pass, two
 * biquads per channel. Their coefficients are recomputed for the sample rate from the analogue prototypes, as
 * libebur128 and FFmpeg's ebur128 filter do, so 44.1 kHz is measured as exactly as 48 kHz.
 */
final class KWeighting {

    /** Far under any audible level (-400 dBFS), far over the subnormal range. */
    private static final double TINY = 1e-20;

    private final double pb0;
    private final double pb1;
    private final double pb2;
    private final double pa1;
    private final double pa2;
    private final double ra1;
    private final double ra2;
    /** Per channel: x[n-1], x[n-2], y[n-1], y[n-2] of the pre-filter, z[n-1], z[n-2] of the RLB filter. */
    private final double[] state;

    KWeighting(int sampleRate, int channels) {
        double f0 = 1681.974450955533;
        double gainDb = 3.999843853973347;
        double q = 0.7071752369554196;
        double k = Math.tan(Math.PI * f0 / sampleRate);
        double vh = Math.pow(10.0, gainDb / 20.0);
        double vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1.0 + k / q + k * k;
        pb0 = (vh + vb * k / q + k * k) / a0;
        pb1 = 2.0 * (k * k - vh) / a0;
        pb2 = (vh - vb * k / q + k * k) / a0;
        pa1 = 2.0 * (k * k - 1.0) / a0;
        pa2 = (1.0 - k / q + k * k) / a0;

        f0 = 38.13547087602444;
        q = 0.5003270373238773;
        k = Math.tan(Math.PI * f0 / sampleRate);
        double r0 = 1.0 + k / q + k * k;
        ra1 = 2.0 * (k * k - 1.0) / r0;
        ra2 = (1.0 - k / q + k * k) / r0;
        state = new double[channels * 6];
    }

    /** The next K-weighted sample of channel {@code ch}. */
    double filter(int ch, double x) {
        int s = ch * 6;
        double[] st = state;
        double y = pb0 * x + pb1 * st[s] + pb2 * st[s + 1] - pa1 * st[s + 2] - pa2 * st[s + 3];
        if (Math.abs(y) < TINY) {
            y = 0; // after silence the recursion would crawl through subnormal numbers, which are slow
        }
        st[s + 1] = st[s];
        st[s] = x;
        // RLB: b = (1, -2, 1), fed by the pre-filter's output
        double z = y - 2.0 * st[s + 2] + st[s + 3] - ra1 * st[s + 4] - ra2 * st[s + 5];
        if (Math.abs(z) < TINY) {
            z = 0;
        }
        st[s + 3] = st[s + 2];
        st[s + 2] = y;
        st[s + 5] = st[s + 4];
        st[s + 4] = z;
        return z;
    }
}
