package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_default_get_buffer2;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_HWACCEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PLANAR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.javacpp.Pointer;

/**
 * Parts of a picture the decoder never wrote. FFmpeg's HEVC decoder conceals nothing and says nothing when a
 * damaged slice's entropy decoding ends early: the coding tree units after that point are simply not decoded, and keep
 * whatever the reused frame buffer held (an older picture, so the damage looks like a faint smear). Here each new
 * frame buffer's chroma planes are first set to zero, and a decoded picture that still holds chroma zero in both
 * planes at two or more points had areas left undecoded: Cb and Cr are both at zero for no colour a camera or a
 * graphics system makes (in limited and full range alike, the least Cb is yellow's and the least Cr cyan's), and
 * decoding never writes an area of it. Luma is left as it was, so the detectors, which read luma, see what they saw.
 */
final class UndecodedAreas {

    /** Chroma samples checked: one every this many, across and down (a coding tree unit is at least 16 luma wide). */
    private static final int STEP = 8;
    /** Points of zero chroma that mark a picture as partly undecoded. */
    static final int POINTS = 2;

    private static final MarkingBuffers MARKING = new MarkingBuffers();

    private UndecodedAreas() {}

    /**
     * Whether this FFmpeg decoder leaves damaged areas undecoded, unconcealed and unreported, so that its buffers are
     * marked: HEVC's, the one seen to. FFmpeg's H.264 and MPEG-2 decoders conceal lost areas and flag the picture;
     * the GPU decoders write every area.
     */
    static boolean marks(String decoderName) {
        return "hevc".equals(decoderName);
    }

    /** Has {@code ctx} (not yet opened) mark its frame buffers, so that undecoded areas can be found. */
    static void markBuffers(AVCodecContext ctx) {
        ctx.get_buffer2(MARKING);
    }

    /** Whether this decoded picture, from a decoder whose buffers are marked, has areas the decoder never wrote. */
    static boolean in(AVFrame frame) {
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(frame.format());
        if (!planarYuv(desc) || absent(frame.data(1)) || absent(frame.data(2))) {
            return false;
        }
        int bytes = desc.comp(1).depth() > 8 ? 2 : 1;
        int width = subsampled(frame.width(), desc.log2_chroma_w());
        int height = subsampled(frame.height(), desc.log2_chroma_h());
        int strideU = frame.linesize(1);
        int strideV = frame.linesize(2);
        if (strideU <= 0 || strideV <= 0) {
            return false;
        }
        ByteBuffer u = frame.data(1).capacity((long) strideU * height).asByteBuffer();
        ByteBuffer v = frame.data(2).capacity((long) strideV * height).asByteBuffer();
        int found = 0;
        for (int y = STEP / 2; y < height; y += STEP) {
            for (int x = STEP / 2; x < width; x += STEP) {
                if (zero(u, y * strideU + x * bytes, bytes) && zero(v, y * strideV + x * bytes, bytes)) {
                    if (++found >= POINTS) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Cb and Cr in planes of their own: where zero in both marks an area. */
    private static boolean planarYuv(AVPixFmtDescriptor desc) {
        long planarOnly = AV_PIX_FMT_FLAG_PLANAR;
        long excluded = AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_RGB;
        return desc != null
                && desc.nb_components() >= 3
                && (desc.flags() & planarOnly) != 0
                && (desc.flags() & excluded) == 0;
    }

    /** A chroma plane's width or height: the luma's, halved {@code shift} times, rounded up. */
    private static int subsampled(int luma, int shift) {
        return -((-luma) >> shift);
    }

    private static boolean absent(Pointer p) {
        return p == null || p.isNull();
    }

    private static boolean zero(ByteBuffer plane, int at, int bytes) {
        return plane.get(at) == 0 && (bytes == 1 || plane.get(at + 1) == 0);
    }

    /**
     * FFmpeg's own buffers, with the chroma planes zeroed. Called on the decoder's threads; a callback must not throw
     * into native code.
     */
    private static final class MarkingBuffers extends AVCodecContext.Get_buffer2_AVCodecContext_AVFrame_int {
        @Override
        public int call(AVCodecContext ctx, AVFrame frame, int flags) {
            int r = avcodec_default_get_buffer2(ctx, frame, flags);
            if (r < 0) {
                return r;
            }
            try {
                AVPixFmtDescriptor desc = av_pix_fmt_desc_get(frame.format());
                if (planarYuv(desc)) {
                    long rows = subsampled(frame.height(), desc.log2_chroma_h());
                    for (int plane = 1; plane <= 2; plane++) {
                        Pointer data = frame.data(plane);
                        if (!absent(data) && frame.linesize(plane) > 0) {
                            Pointer.memset(data, 0, frame.linesize(plane) * rows);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the buffer stays as FFmpeg gave it: unmarked, so nothing is found in it
            }
            return r;
        }
    }
}
