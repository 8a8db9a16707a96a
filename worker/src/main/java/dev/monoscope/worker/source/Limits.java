package dev.monoscope.worker.source;

/**
 * What a source may ask of a worker, at most: past these, a source gets a clear error naming the limit rather than
 * the worker's memory (a hostile or broken origin must not exhaust or hang a worker).
 */
public final class Limits {

    /** The largest playlist read (a live playlist of 10,000 segments is about 1 MiB). */
    public static final long MAX_PLAYLIST_BYTES = 4L << 20;
    /** The largest picture decoded: 8K UHD DCI-ish, 8192 x 4320. */
    public static final int MAX_WIDTH = 8192;

    public static final int MAX_HEIGHT = 4320;
    /** The highest audio sample rate decoded. */
    public static final int MAX_SAMPLE_RATE = 192_000;
    /** A live HLS playlist's target duration is taken within these bounds (seconds). */
    public static final double MIN_TARGET_DURATION = 1;

    public static final double MAX_TARGET_DURATION = 60;

    private Limits() {}

    /** A target duration within the bounds; one that is not a number counts as the shortest. */
    public static double clampTargetDuration(double seconds) {
        return !(seconds >= MIN_TARGET_DURATION) ? MIN_TARGET_DURATION : Math.min(seconds, MAX_TARGET_DURATION);
    }

    /** Why a stream's format is refused, naming the limit; null when within the limits. */
    public static String refusal(int width, int height, int sampleRate) {
        if (width > MAX_WIDTH || height > MAX_HEIGHT) {
            return "the picture is " + width + "x" + height + ", over the limit of " + MAX_WIDTH + "x" + MAX_HEIGHT;
        }
        if (sampleRate > MAX_SAMPLE_RATE) {
            return "the audio sample rate is " + sampleRate + " Hz, over the limit of " + MAX_SAMPLE_RATE + " Hz";
        }
        return null;
    }

    static String describeBytes(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
