package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A decoded picture as one JPEG (FFmpeg's MJPEG encoder), at its own size or scaled down to a width: the evidence
 * snapshots and the live thumbnails are made the same way.
 */
public final class JpegEncoder {

    private JpegEncoder() {}

    /**
     * The picture as a JPEG at most {@code maxWidth} pixels wide (its own size when smaller or when {@code maxWidth}
     * is 0), keeping its displayed shape (the sample aspect ratio); null when it cannot be encoded.
     */
    public static byte[] encode(AVFrame src, int maxWidth) {
        int w = src.width();
        int h = src.height();
        if (w <= 0 || h <= 0) {
            return null;
        }
        int outW = w;
        int outH = h;
        if (maxWidth > 0) {
            double shownWidth = src.sample_aspect_ratio().num() > 0
                            && src.sample_aspect_ratio().den() > 0
                    ? (double) w
                            * src.sample_aspect_ratio().num()
                            / src.sample_aspect_ratio().den()
                    : w;
            if (shownWidth > maxWidth || shownWidth != w) {
                outW = even(Math.min(maxWidth, shownWidth));
                outH = even((double) h * outW / shownWidth);
            }
        }
        return scaleAndEncode(src, outW, outH);
    }

    private static int even(double size) {
        return Math.max(2, 2 * (int) Math.round(size / 2));
    }

    private static byte[] scaleAndEncode(AVFrame src, int w, int h) {
        AVFrame dst = av_frame_alloc();
        AVCodecContext ctx = null;
        AVPacket pkt = av_packet_alloc();
        SwsContext sws = sws_getContext(
                src.width(),
                src.height(),
                src.format(),
                w,
                h,
                AV_PIX_FMT_YUVJ420P,
                SWS_BILINEAR,
                null,
                null,
                (DoublePointer) null);
        try {
            if (sws == null || sws.isNull()) {
                return null;
            }
            dst.format(AV_PIX_FMT_YUVJ420P);
            dst.width(w);
            dst.height(h);
            if (av_frame_get_buffer(dst, 0) < 0) {
                return null;
            }
            sws_scale(sws, src.data(), src.linesize(), 0, src.height(), dst.data(), dst.linesize());
            AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
            ctx = avcodec_alloc_context3(codec);
            ctx.width(w);
            ctx.height(h);
            ctx.pix_fmt(AV_PIX_FMT_YUVJ420P);
            ctx.time_base(av_make_q(1, 25));
            if (avcodec_open2(ctx, codec, (AVDictionary) null) < 0) {
                return null;
            }
            if (avcodec_send_frame(ctx, dst) < 0 || avcodec_receive_packet(ctx, pkt) < 0) {
                return null;
            }
            byte[] out = new byte[pkt.size()];
            pkt.data().get(out);
            return out;
        } finally {
            if (sws != null) {
                sws_freeContext(sws);
            }
            if (ctx != null) {
                avcodec_free_context(ctx);
            }
            av_packet_free(pkt);
            av_frame_free(dst);
        }
    }
}
