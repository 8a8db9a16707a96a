package dev.monoscope.worker.decode;

/**
 * Damage the video decoder only logs. FFmpeg's H.264 decoder, for one, decodes a picture whose slice lost its header
 * or whose reference is missing, conceals what it can and hands the picture out without a damage flag; its error
 * lines ("error while decoding MB", "Missing reference picture") are the only trace. An error the video decoder logs
 * while a packet is sent marks the first picture handed out at or after that packet's time as damaged; one logged in
 * between (frame threads decode behind the packets sent) marks it from the last packet sent. A keyframe is never
 * marked: it repairs what came before it, and a damaged one is flagged by the decoder itself. Lines before the first
 * keyframe, or about pictures that precede it (joining mid-stream), are not damage.
 */
final class LoggedDecodeErrors {

    private String decoder = "";
    private long seen;
    private double lastSent = Double.NaN;
    private double damageFrom = Double.NaN;

    /**
     * Before the video decoder of {@code decoderName} takes in a packet: what it logged since the last one.
     *
     * @param keyTime the first keyframe's time, or +∞ before it
     */
    void beforeSend(String decoderName, double keyTime) {
        check(decoderName, lastSent, keyTime);
    }

    /** After it took in (or refused: NaN) a packet of stream time {@code time}. */
    void afterSend(String decoderName, double time, double keyTime) {
        check(decoderName, time, keyTime);
        lastSent = time;
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

    /** Whether the picture of {@code time}, about to be handed out, carries logged damage (then it is taken). */
    boolean damages(double time, boolean keyFrame) {
        if (Double.isNaN(damageFrom) || time < damageFrom - 1e-6) {
            return false;
        }
        damageFrom = Double.NaN;
        return !keyFrame;
    }
}
