package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/** One decoded stream of the input and its decoder. */
final class Track {
    final AVStream stream;
    AVCodecContext ctx;
    /** The FFmpeg decoder in use (h264, h264_cuvid, …). */
    String decoderName;
    /** A decoder failure switches this track to a fresh CPU decoder rather than losing pictures. */
    boolean canFallBack;

    final boolean isVideo;
    final int number;
    final double timeBase;
    /** The demuxer's id of the stream: the PID in MPEG-TS (read once: a native call). */
    final int streamId;

    double nextPts = Double.NaN;

    /**
     * Whether the container times a picture until the next one's timestamp (MP4, MOV): there a picture before missing
     * ones lasts a whole number of frame periods, where MPEG-TS gives the period the bitstream declares.
     */
    boolean lastsUntilNext;

    Track(AVStream stream, AVCodecContext ctx, boolean isVideo, int number) {
        this.stream = stream;
        this.ctx = ctx;
        this.isVideo = isVideo;
        this.number = number;
        this.timeBase = av_q2d(stream.time_base());
        this.streamId = stream.id();
    }
}
