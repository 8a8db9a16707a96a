package dev.monoscope.worker.decode;

/**
 * Damage the video decoder only logs. FFmpeg's H.264 decoder, for one, decodes a picture whose slice lost its header
 * or whose reference is missing, conceals what it can and hands the picture out without a damage flag; its error
 * lines ("error while decoding MB", "Missing reference picture") are the only trace; HEVC's decoder skips a slice it
 * cannot parse with a mere warning ({@link FFmpegLog} counts those). An error the video decoder logs
 * marks the first picture handed out at or after the time of a packet it may have been decoding as damaged: with
 * frame threads, the earliest of the last packets sent, one per thread (a line placed at the latest packet would land
 * after the next keyframe often enough, and go); with one thread, the packet being sent. A keyframe is never
 * marked: it repairs what came before it, and a damaged one is flagged by the decoder itself. When the line comes
 * after pictures from that time were handed out, the next picture says how long before it the damage began
 * ({@code Picture.loggedDamageBefore}), and the corruption detector, whose verdicts wait a few pictures, marks them.
 * Lines before the first keyframe, or about pictures that precede it (joining mid-stream), are not damage.
 */
final class LoggedDecodeErrors {

    private static final int MAX_THREADS = 64;

    private String decoder = "";
    private long seen;
    /** The times of the last packets sent, as many as the decoder has threads: those it may be decoding. */
    private final double[] inFlight = new double[MAX_THREADS];
    /** Where the next packet's time goes in {@link #inFlight}, and how many of its entries hold one. */
    private int next;

    private int known;

    private double damageFrom = Double.NaN;

    /**
     * Before the video decoder of {@code decoderName} takes in a packet: what it logged since the last one.
     *
     * @param keyTime the first keyframe's time, or +∞ before it
     */
    void beforeSend(String decoderName, int threads, double keyTime) {
        check(decoderName, earliestInFlight(threads), keyTime);
    }

    /** After it took in (or refused: NaN) a packet of stream time {@code time}. */
    void afterSend(String decoderName, int threads, double time, double keyTime) {
        inFlight[next] = time;
        next = (next + 1) % MAX_THREADS;
        known = Math.min(known + 1, MAX_THREADS);
        check(decoderName, earliestInFlight(threads), keyTime);
    }

    /** The earliest time among the last {@code threads} packets sent (NaN when none is known). */
    private double earliestInFlight(int threads) {
        double earliest = Double.NaN;
        for (int i = 1; i <= Math.min(Math.max(1, threads), known); i++) {
            double t = inFlight[(next - i + MAX_THREADS) % MAX_THREADS];
            earliest = Double.isNaN(earliest) || t < earliest ? t : earliest;
        }
        return earliest;
    }

    /** The first keyframe came out: what joining logged is no damage. */
    void joined(String decoderName) {
        check(decoderName, Double.NaN, Double.POSITIVE_INFINITY);
    }

    private void check(String decoderName, double time, double keyTime) {
        long logged = FFmpegLog.errorsLoggedBy(decoderName);
        if (logged == seen && decoderName.equals(decoder)) {
            return;
        }
        boolean sameDecoder = decoderName.equals(decoder); // a failover's new decoder has logged nothing about this
        decoder = decoderName;
        seen = logged;
        if (sameDecoder && time >= keyTime && Double.isNaN(damageFrom)) {
            damageFrom = time;
        }
    }

    /**
     * Where logged damage begins for the picture of {@code time}, about to be handed out (then it is taken): at or
     * before {@code time} (earlier when the line came after pictures from that time were handed out), or NaN.
     */
    double damageFrom(double time) {
        double from = damageFrom;
        if (Double.isNaN(from) || time < from - 1e-6) {
            return Double.NaN;
        }
        damageFrom = Double.NaN;
        return Math.min(from, time);
    }
}
