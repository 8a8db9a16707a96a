package dev.monoscope.worker.decode;

/**
 * One decoded block of audio from one track, as signed sample values per channel (full scale = 1; floating-point
 * sources may exceed it), in arrays the decoder reuses: valid until the next call to {@link StreamDecoder#next()}.
 */
public final class AudioBlock {

    int track;
    int channels;
    int samples;
    int sampleRate;
    long layoutMask;
    double pts;
    float[][] channel = new float[0][];

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

    /** The channel layout's mask of speaker positions (AV_CH_*), 0 when the layout is not a native one. */
    public long layoutMask() {
        return layoutMask;
    }

    /**
     * A block that did not come from a decoder (detector tests): {@code samples[ch]} are the signed samples of each
     * channel, all of the same length.
     */
    public static AudioBlock of(int track, int sampleRate, double pts, float[][] samples) {
        AudioBlock b = new AudioBlock();
        b.track = track;
        b.channels = samples.length;
        b.samples = samples.length == 0 ? 0 : samples[0].length;
        b.sampleRate = sampleRate;
        b.pts = pts;
        b.channel = samples;
        return b;
    }

    /** Start of the block in seconds on the stream's own clock. */
    public double pts() {
        return pts;
    }

    /** The signed samples of channel {@code ch}, from 0, full scale = 1; {@link #samples()} valid entries. */
    public float[] channel(int ch) {
        return channel[ch];
    }

    void ensure(int ch, int n) {
        if (channel.length < ch) {
            float[][] m = new float[ch][];
            System.arraycopy(channel, 0, m, 0, channel.length);
            channel = m;
        }
        for (int i = 0; i < ch; i++) {
            if (channel[i] == null || channel[i].length < n) {
                channel[i] = new float[Math.max(n, 2048)];
            }
        }
    }
}
