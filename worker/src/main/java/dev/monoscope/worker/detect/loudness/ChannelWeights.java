package dev.monoscope.worker.detect.loudness;

/**
 * BS.1770-4's channel weights: 1 for front channels, 1.41 (+1.5 dB) for surround and back channels, 0 for LFE, as
 * FFmpeg's ebur128 filter weighs them. Mono and stereo, and layouts without positions, weigh 1 per channel.
 */
final class ChannelWeights {

    private static final long LOW_FREQUENCY = 0x8L | 0x800000000L; // AV_CH_LOW_FREQUENCY, AV_CH_LOW_FREQUENCY_2
    private static final long SURROUND = 0x10L
            | 0x20L
            | 0x100L // BACK_LEFT, BACK_RIGHT, BACK_CENTER
            | 0x200L
            | 0x400L // SIDE_LEFT, SIDE_RIGHT
            | 0x8000L
            | 0x10000L
            | 0x20000L // TOP_BACK_LEFT, TOP_BACK_CENTER, TOP_BACK_RIGHT
            | 0x200000000L
            | 0x400000000L; // SURROUND_DIRECT_LEFT, SURROUND_DIRECT_RIGHT

    private ChannelWeights() {}

    static double[] of(int channels, long layoutMask) {
        double[] w = new double[channels];
        long rest = Long.bitCount(layoutMask) == channels ? layoutMask : 0;
        for (int ch = 0; ch < channels; ch++) {
            long position = Long.lowestOneBit(rest); // native order: channel i is the mask's i-th set bit
            rest &= ~position;
            w[ch] = (position & LOW_FREQUENCY) != 0 ? 0 : (position & SURROUND) != 0 ? 1.41 : 1.0;
        }
        return w;
    }
}
