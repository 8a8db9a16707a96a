package dev.monoscope.worker.decode;

import dev.monoscope.worker.source.Limits;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;

/**
 * Keeps a stream's declared format within {@link Limits}: a picture or a sample rate over them is refused with the
 * limit named before a decoder allocates for it, and a decoder refuses pictures that grow past them mid-stream.
 */
final class FormatLimits {

    private FormatLimits() {}

    /** Refuses a track whose parameters are over the limits. */
    static void check(AVCodecParameters par, boolean video, Object source) throws UnsupportedStreamException {
        String refusal = video ? Limits.refusal(par.width(), par.height(), 0) : Limits.refusal(0, 0, par.sample_rate());
        if (refusal != null) {
            throw new UnsupportedStreamException(refusal + ": " + source);
        }
    }

    /** Makes the decoder refuse pictures larger than the limits (FFmpeg checks before it allocates). */
    static void bound(AVCodecContext ctx) {
        ctx.max_pixels((long) Limits.MAX_WIDTH * Limits.MAX_HEIGHT);
    }
}
