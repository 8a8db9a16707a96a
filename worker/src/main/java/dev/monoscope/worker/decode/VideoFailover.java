package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;

import dev.monoscope.api.worker.DecoderInfo;
import java.util.ArrayDeque;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * A video decoder that fails mid-stream (a CUDA decoder whose GPU went away, ran out of memory, …) is replaced by
 * FFmpeg's CPU decoder, into which the packets since the last keyframe are replayed, so that no picture after the
 * failure is lost; those the failed decoder already delivered are skipped.
 */
final class VideoFailover {

    /** Bounds the replay buffer for streams without keyframes (intra refresh): past it, a failover loses a GOP. */
    private static final int MAX_REPLAY_PACKETS = 1000;

    /**
     * Video packets since the last keyframe, kept while the video decoder may fail over: replayed into its successor.
     */
    private final ArrayDeque<AVPacket> sinceKeyframe = new ArrayDeque<>();
    /** Packets still to send to the successor decoder after a failover. */
    private final ArrayDeque<AVPacket> replay = new ArrayDeque<>();
    /** After a failover, pictures up to this time were already delivered by the failed decoder. */
    private double replayedUpTo = Double.NEGATIVE_INFINITY;

    void keepForReplay(AVPacket p) {
        if ((p.flags() & AV_PKT_FLAG_KEY) != 0 || sinceKeyframe.size() >= MAX_REPLAY_PACKETS) {
            freeAll(sinceKeyframe);
        }
        sinceKeyframe.add(av_packet_clone(p));
    }

    /**
     * Opens the CPU decoder in place of the failed one and queues the packets since the last keyframe for it.
     *
     * @return where decoding happens now
     */
    DecoderInfo failOver(Track t, String why, int threads, DecoderInfo current, double lastVideoPts)
            throws InputException {
        t.canFallBack = false;
        String failedName = t.decoderName;
        avcodec_free_context(t.ctx);
        AVCodecParameters par = t.stream.codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        int[] err = new int[1];
        AVCodecContext ctx =
                codec == null || codec.isNull() ? null : Codecs.openCodec(codec, par, t.stream, threads, err);
        if (ctx == null) {
            t.ctx = null;
            throw new UnsupportedStreamException(
                    failedName + " failed (" + why + ") and the CPU decoder would not open");
        }
        t.ctx = ctx;
        t.decoderName = codec.name().getString();
        DecoderInfo now = DecoderSelection.failedMidStream(current, failedName, lastVideoPts, why);
        replayedUpTo = lastVideoPts;
        replay.addAll(sinceKeyframe);
        sinceKeyframe.clear();
        return now;
    }

    /** The next packet to replay into the new decoder (the caller frees it), or null. */
    AVPacket nextReplayed() {
        return replay.poll();
    }

    /** Whether the failed decoder delivered the picture at {@code pts} already. */
    boolean delivered(double pts) {
        return pts <= replayedUpTo + 1e-6;
    }

    void close() {
        freeAll(sinceKeyframe);
        freeAll(replay);
    }

    private static void freeAll(ArrayDeque<AVPacket> packets) {
        for (AVPacket p : packets) {
            av_packet_free(p);
        }
        packets.clear();
    }
}
