package dev.monoscope.worker.detect.loudness;

import dev.monoscope.worker.decode.AudioBlock;
import java.util.Arrays;

/**
 * An ITU-R BS.1770-4 / EBU R128 meter for one audio track: every 100 ms it updates momentary (400 ms) and short-term
 * (3 s) loudness, integrated loudness over a rolling window (gated at -70 LUFS absolute and -10 LU relative, on
 * 400 ms blocks every 100 ms) and the true peak over that window. Sums are kept per 100 ms, never per sample, so the
 * window costs 12 bytes per 100 ms. Built as FFmpeg's ebur128 filter measures (same filters, same 100 ms grid counted
 * from the first sample, same -120.7 LUFS floor), so the two agree. Values are NaN until their window has filled.
 */
public final class LoudnessMeter {

    /** BS.1770's -0.691 dB offset that makes a 1 kHz sine at 0 dBFS read -3.01 LUFS per channel. */
    private static final double OFFSET = -0.691;
    /** BS.1770's absolute gate: blocks quieter than this are not programme (silence is not loudness). */
    public static final double ABSOLUTE_GATE_LUFS = -70;

    private static final double RELATIVE_GATE_LU = -10;
    /** Added to every mean square, as FFmpeg does: digital silence reads -120.7 LUFS, not minus infinity. */
    private static final double FLOOR = 1e-12;

    private static final int MOMENTARY_BLOCKS = 4;
    private static final int SHORT_TERM_BLOCKS = 30;
    /**
     * Window entries the integration may read per update on average: the default 15 min window is read every 100 ms,
     * a longer one less often (a day-long window every 9.6 s), so that its cost stays that of 15 min.
     */
    private static final int ENTRIES_PER_UPDATE = 9000;

    private final int sampleRate;
    private final int channels;
    private final long layoutMask;
    private final double[] weight;
    private final KWeighting kWeighting;
    private final TruePeak truePeak;
    /** Samples per 100 ms update. */
    private final int blockSamples;

    /** Weighted sums of squared K-weighted samples of the last 30 updates, a ring indexed by update count. */
    private final double[] blockEnergy = new double[SHORT_TERM_BLOCKS];
    /** Per update over the integration window: the 400 ms mean square ending there (NaN: not yet 400 ms in). */
    private final double[] gatingPower;
    /** Per update over the integration window: the true peak of its 100 ms, linear. */
    private final float[] blockPeak;
    /** Updates between two integrations. */
    private final int integrateEvery;

    private long updates;
    private int inBlock;
    private double energy;
    private double peak;
    private boolean updated;

    private double momentary = Double.NaN;
    private double shortTerm = Double.NaN;
    private double integrated = Double.NaN;
    private double truePeakDb = Double.NaN;

    /**
     * @param layoutMask         the AV_CH_* positions of the channels, 0 when unknown (every channel weighs 1)
     * @param integrationSeconds how far back integrated loudness and true peak look
     */
    public LoudnessMeter(int sampleRate, int channels, long layoutMask, double integrationSeconds) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.layoutMask = layoutMask;
        this.weight = ChannelWeights.of(channels, layoutMask);
        this.kWeighting = new KWeighting(sampleRate, channels);
        this.truePeak = new TruePeak(channels);
        this.blockSamples = Math.max(1, sampleRate / 10);
        int window = (int) Math.max(MOMENTARY_BLOCKS, Math.round(integrationSeconds * 10));
        this.gatingPower = new double[window];
        this.blockPeak = new float[window];
        this.integrateEvery = Math.max(1, window / ENTRIES_PER_UPDATE);
        Arrays.fill(gatingPower, Double.NaN);
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples in one 100 ms update step. */
    public int blockSamples() {
        return blockSamples;
    }

    public int channels() {
        return channels;
    }

    public long layoutMask() {
        return layoutMask;
    }

    /**
     * Measures samples of {@code b} from {@code from} on, up to the end of the block or the next 100 ms update,
     * whichever comes first.
     *
     * @return the index after the last sample measured; {@link #updated()} tells whether an update completed there
     */
    public int feed(AudioBlock b, int from) {
        int n = Math.min(b.samples(), from + blockSamples - inBlock);
        int chs = Math.min(channels, b.channels());
        double pk = peak;
        for (int ch = 0; ch < chs; ch++) {
            float[] m = b.channel(ch);
            double w = weight[ch];
            double e = 0;
            for (int i = from; i < n; i++) {
                double x = m[i];
                pk = Math.max(pk, truePeak.next(ch, x, pk));
                if (w != 0) {
                    double z = kWeighting.filter(ch, x);
                    e += z * z;
                }
            }
            energy += w * e;
        }
        peak = pk;
        inBlock += n - from;
        updated = inBlock == blockSamples;
        if (updated) {
            update();
        }
        return n;
    }

    /** The true peak of the last 3 s (the short-term window), dBTP, for level meters; NaN before the first update. */
    public double recentPeakDbtp() {
        int n = (int) Math.min(Math.min(updates, SHORT_TERM_BLOCKS), blockPeak.length);
        if (n == 0) {
            return Double.NaN;
        }
        float max = 0;
        for (int k = 1; k <= n; k++) {
            max = Math.max(max, blockPeak[(int) ((updates - k) % blockPeak.length)]);
        }
        return 20 * Math.log10(max);
    }

    /** Whether the last {@link #feed} ended on a 100 ms update. */
    public boolean updated() {
        return updated;
    }

    private void update() {
        blockEnergy[(int) (updates % SHORT_TERM_BLOCKS)] = energy;
        int slot = (int) (updates % gatingPower.length);
        blockPeak[slot] = (float) peak;
        updates++;
        energy = 0;
        peak = 0;
        inBlock = 0;

        double power = Double.NaN;
        if (updates >= MOMENTARY_BLOCKS) {
            power = FLOOR + lastBlocks(MOMENTARY_BLOCKS) / ((double) MOMENTARY_BLOCKS * blockSamples);
            momentary = lufs(power);
        }
        if (updates >= SHORT_TERM_BLOCKS) {
            shortTerm = lufs(FLOOR + lastBlocks(SHORT_TERM_BLOCKS) / ((double) SHORT_TERM_BLOCKS * blockSamples));
        }
        gatingPower[slot] = power;
        if (updates % integrateEvery == 0) {
            integrate();
        } else if (!(20 * Math.log10(blockPeak[slot]) <= truePeakDb)) {
            truePeakDb = 20 * Math.log10(blockPeak[slot]); // a new peak shows at once, an old one leaves later
        }
    }

    private double lastBlocks(int count) {
        double sum = 0;
        for (int k = 1; k <= count; k++) {
            sum += blockEnergy[(int) ((updates - k) % SHORT_TERM_BLOCKS)];
        }
        return sum;
    }

    /** Integrated loudness and true peak over the window: two passes over its entries. */
    private void integrate() {
        double absolute = energy(ABSOLUTE_GATE_LUFS);
        double sum = 0;
        int count = 0;
        float maxPeak = 0;
        int filled = (int) Math.min(updates, gatingPower.length);
        for (int i = 0; i < filled; i++) {
            double p = gatingPower[i];
            if (p >= absolute) {
                sum += p;
                count++;
            }
            maxPeak = Math.max(maxPeak, blockPeak[i]);
        }
        truePeakDb = 20 * Math.log10(maxPeak);
        if (count == 0) {
            integrated = Double.NaN;
            return;
        }
        double relative = Math.max(absolute, sum / count * Math.pow(10, RELATIVE_GATE_LU / 10));
        double kept = 0;
        int keptCount = 0;
        for (int i = 0; i < filled; i++) {
            double p = gatingPower[i];
            if (p >= relative) {
                kept += p;
                keptCount++;
            }
        }
        integrated = keptCount == 0 ? Double.NaN : lufs(kept / keptCount);
    }

    private static double lufs(double meanSquare) {
        return OFFSET + 10 * Math.log10(meanSquare);
    }

    private static double energy(double lufs) {
        return Math.pow(10, (lufs - OFFSET) / 10);
    }

    /** Loudness of the last 400 ms, LUFS; NaN in the first 400 ms. */
    public double momentary() {
        return momentary;
    }

    /** Loudness of the last 3 s, LUFS; NaN in the first 3 s. */
    public double shortTerm() {
        return shortTerm;
    }

    /** Gated loudness over the integration window, LUFS; NaN while no 400 ms block passed the -70 LUFS gate. */
    public double integrated() {
        return integrated;
    }

    /** The largest true peak over the integration window, dBTP (dB relative to full scale). */
    public double truePeakDbtp() {
        return truePeakDb;
    }
}
