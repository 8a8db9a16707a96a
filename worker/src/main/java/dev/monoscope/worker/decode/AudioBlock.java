package dev.monoscope.worker.decode;

/**
 * One decoded block of audio from one track, as absolute sample values in 0..1 per channel, in arrays the decoder
 * reuses: valid until the next call to {@link StreamDecoder#next()}.
 */
public final class AudioBlock {

    int track;
    int channels;
    int samples;
    int sampleRate;
    double pts;
    float[][] magnitude = new float[0][];

    /** The audio track, from 1, in the order of the programme's audio streams. */
    public int track() {
        return track;
    }

    public int channels() {
        return channels;
    }

    public int samples() {
        return samples;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Start of the block in seconds on the stream's own clock. */
    public double pts() {
        return pts;
    }

    /** |sample| of channel {@code ch}, full scale = 1; {@link #samples()} valid entries. */
    public float[] magnitude(int ch) {
        return magnitude[ch];
    }

    void ensure(int ch, int n) {
        if (magnitude.length < ch) {
            float[][] m = new float[ch][];
            System.arraycopy(magnitude, 0, m, 0, magnitude.length);
            magnitude = m;
        }
        for (int i = 0; i < ch; i++) {
            if (magnitude[i] == null || magnitude[i].length < n) {
                magnitude[i] = new float[Math.max(n, 2048)];
            }
        }
    }
}
