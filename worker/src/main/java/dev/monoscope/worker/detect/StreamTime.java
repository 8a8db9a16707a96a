package dev.monoscope.worker.detect;

/**
 * Places a point of the stream's own clock (a PCR or PTS, seconds) on the media clock, against the picture or audio
 * block being shown: the transport analyser and the SCTE-35 cues run ahead of the decoder (it reads ahead).
 */
final class StreamTime {

    /** PTS seconds wrap at 2^33 / 90 kHz. */
    static final double WRAP = (1L << 33) / 90_000.0;

    private StreamTime() {}

    /** Seconds from the frame whose timestamp is {@code framePts} to {@code streamSeconds}, across the 33-bit wrap. */
    static double ahead(double streamSeconds, double framePts) {
        return Math.IEEEremainder(streamSeconds - framePts, WRAP);
    }
}
