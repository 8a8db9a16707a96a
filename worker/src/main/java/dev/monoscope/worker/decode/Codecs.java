package dev.monoscope.worker.decode;

import static dev.monoscope.worker.decode.AvError.error;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;

import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.worker.source.SourceUrl;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/** Opens decoders: for video a CUDA one (*_cuvid) where asked for and usable, else FFmpeg's CPU decoder. */
final class Codecs {

    /**
     * An opened decoder.
     *
     * @param info where video decodes and why not where asked; null for audio
     */
    record Opened(AVCodecContext ctx, String decoderName, DecoderInfo info) {}

    private Codecs() {}

    static Opened open(AVStream st, boolean isVideo, String decoderMode, int threads, SourceUrl source)
            throws UnsupportedStreamException {
        AVCodecParameters par = st.codecpar();
        String codecName = avcodec_get_name(par.codec_id()).getString();
        FormatLimits.check(par, isVideo, source);
        AVCodecContext ctx = null;
        String decoderName = null;
        DecoderInfo info = null;
        if (isVideo) {
            DecoderSelection selection = DecoderSelection.choose(
                    decoderMode, "cpu".equals(decoderMode) ? null : CudaProbe.problem(), codecName);
            if (selection.gpu()) {
                AVCodec cuvid = avcodec_find_decoder_by_name(selection.cuvidDecoder());
                int[] err = new int[1];
                ctx = cuvid == null || cuvid.isNull() ? null : openCodec(cuvid, par, st, 1, err);
                if (ctx == null) {
                    selection = selection.cudaOpenFailed(
                            cuvid == null || cuvid.isNull() ? "not in this FFmpeg build" : error(err[0]));
                } else {
                    decoderName = selection.cuvidDecoder();
                }
            }
            info = selection.info();
        }
        if (ctx == null) {
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null || codec.isNull()) {
                throw new UnsupportedStreamException("unsupported codec: no decoder for "
                        + (isVideo ? "video" : "audio") + " codec '" + codecName + "' in " + source);
            }
            ctx = openCodec(codec, par, st, threads, new int[1]);
            decoderName = codec.name().getString();
            if (ctx == null) {
                throw new UnsupportedStreamException(
                        "unsupported codec: cannot open the " + codecName + " decoder for " + source);
            }
        }
        return new Opened(ctx, decoderName, info);
    }

    /** Opens a decoder; null when it would not open, with FFmpeg's error code in {@code err[0]}. */
    static AVCodecContext openCodec(AVCodec codec, AVCodecParameters par, AVStream st, int threads, int[] err) {
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if ((err[0] = avcodec_parameters_to_context(ctx, par)) < 0) {
            avcodec_free_context(ctx);
            return null;
        }
        ctx.pkt_timebase(st.time_base());
        FormatLimits.bound(ctx);
        ctx.thread_count(Math.max(1, threads));
        if (UndecodedAreas.marks(codec.name().getString())) {
            UndecodedAreas.markBuffers(ctx);
        }
        if ((err[0] = avcodec_open2(ctx, codec, (AVDictionary) null)) < 0) {
            avcodec_free_context(ctx);
            return null;
        }
        return ctx;
    }
}
