package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Decoded frames as the views {@link StreamDecoder#next()} hands out: a picture with where it stands (joined after
 * the first keyframe, damaged — flagged by the decoder, or following pictures the decoder lost —, data lost on the way
 * in), an audio block as float samples; and the count of what could not be decoded.
 */
final class DecodedFrames {

    final Picture picture = new Picture();
    final AudioBlock block = new AudioBlock();
    /** Which pictures lost data on the way in: MPEG-TS and HLS inputs with their transport analysed, else null. */
    LostVideoData lostVideoData;
    /** Pictures the decoder took in and never handed out: damage it drops without a flag. */
    final LostPictures lostPictures = new LostPictures();
    /** Damage the video decoder only logged. */
    private final LoggedDecodeErrors loggedErrors = new LoggedDecodeErrors();

    private boolean keySeen;
    private double undecodableTime;
    private boolean undecodableLost;
    private double lostPictureTime = Double.NaN;
    private double keyPts = Double.NEGATIVE_INFINITY;
    /** The picture rate the video decoder's sequence declares, as of the last keyframe, or NaN. */
    private double sequenceRate = Double.NaN;

    private double lastVideoPts = Double.NEGATIVE_INFINITY;
    private long videoPictures;
    private long decodeErrors;

    /**
     * The decoder of {@code t} produced {@code frame}: fills the picture or the audio block.
     *
     * @param flushed  the decoders are being drained at the end of the input
     * @param failover skips the pictures a failed decoder delivered already
     * @return what it was, or null when there is nothing to hand out
     */
    StreamDecoder.Kind deliver(Track t, AVFrame frame, boolean flushed, VideoFailover failover) {
        long ts = frame.best_effort_timestamp();
        double pts = ts == AV_NOPTS_VALUE ? t.nextPts : ts * t.timeBase;
        if (Double.isNaN(pts)) {
            pts = 0;
        }
        if (t.isVideo) {
            if (failover.delivered(pts)) {
                return null; // the failed decoder delivered this picture already
            }
            lastVideoPts = pts;
            videoPictures++;
            double fps = av_q2d(t.stream.avg_frame_rate());
            fillPicture(t, frame, pts, flushed, UndecodedAreas.marks(t.decoderName));
            notePicturesLost(t, frame);
            picture.decoderFlags = !t.decoderName.endsWith("_cuvid");
            picture.duration = fps > 0 ? 1 / fps : 0.04;
            t.nextPts = pts + picture.duration;
            return StreamDecoder.Kind.VIDEO;
        }
        if (!AudioConversion.fill(block, frame, t.number, pts)) {
            return null;
        }
        t.nextPts = pts + (double) frame.nb_samples() / Math.max(1, frame.sample_rate());
        return StreamDecoder.Kind.AUDIO;
    }

    private void fillPicture(Track t, AVFrame frame, double pts, boolean flushed, boolean marked) {
        Picture p = picture;
        p.describe(frame);
        p.pts = pts;
        p.keyFrame = (frame.flags() & AVFrame.AV_FRAME_FLAG_KEY) != 0 || frame.pict_type() == 1;
        boolean damaged = frame.decode_error_flags() != 0
                || (frame.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0
                || marked && UndecodedAreas.in(frame);
        if (p.keyFrame) {
            // a new sequence starts at a keyframe; reading it there spares a JNI struct per picture
            AVRational r = t.ctx.framerate();
            sequenceRate = r.num() > 0 && r.den() > 0 ? av_q2d(r) : Double.NaN;
        }
        // the decoder keeps the first sequence's rate until the picture size changes, while the picture's duration
        // follows each sequence where the demuxer parses it (MPEG-TS): only a rate both agree on is declared
        double duration = frame.duration() > 0 ? frame.duration() * t.timeBase : Double.NaN;
        p.declaredRate = ofRate(sequenceRate * duration, t.lastsUntilNext) ? sequenceRate : Double.NaN;
        if (p.keyFrame && !keySeen) {
            keySeen = true;
            keyPts = pts;
            loggedErrors.joined(t.decoderName);
        }
        double logged = loggedErrors.damageFrom(pts);
        p.loggedDamageBefore = pts - logged;
        // pictures before the first keyframe (in display order too: open-GOP B-frames) reference what we never saw
        p.joined = keySeen && pts >= keyPts - 1e-6;
        p.trustworthy = p.joined && !flushed;
        p.damaged = damaged;
        p.dataLost = lostVideoData != null && lostVideoData.pictureLost(pts);
        if ((damaged || logged >= pts - 1e-6 && !p.keyFrame) && p.trustworthy) {
            decodeErrors++;
        }
    }

    /**
     * Sends {@code packet} to the decoder of {@code t}; a video packet is noted for the ledger of lost pictures and for
     * the damage its decoder logs.
     */
    int send(Track t, AVPacket packet) {
        if (!t.isVideo) {
            return avcodec_send_packet(t.ctx, packet);
        }
        double keyTime = keySeen ? keyPts : Double.POSITIVE_INFINITY;
        int threads = t.ctx.thread_count();
        loggedErrors.beforeSend(t.decoderName, threads, keyTime);
        int s = avcodec_send_packet(t.ctx, packet);
        long pts = packet.pts();
        if (s >= 0) {
            noteLost(t, lostPictures.sent(pts, threads)); // the decoder took in more than it can hold back
        }
        double time = pts == AV_NOPTS_VALUE ? t.nextPts : pts * t.timeBase;
        loggedErrors.afterSend(t.decoderName, threads, s >= 0 ? time : Double.NaN, keyTime);
        return s;
    }

    /** Asks the ledger whether pictures before this one were lost in the decoder; they become one lost picture. */
    private void notePicturesLost(Track t, AVFrame frame) {
        int lost = picture.joined ? lostPictures.delivered(frame.pts()) : 0;
        picture.missingBefore = lostPictures.passedOver();
        picture.heldBack = lostPictures.heldBack();
        noteLost(t, lost);
    }

    /** Pictures the ledger just found lost become one lost picture, at the earliest one's time. */
    private void noteLost(Track t, int lost) {
        if (lost > 0 && picture.trustworthy) {
            decodeErrors += lost - 1; // and one by undecodable()
            lostPictureTime = lostPictures.earliestLost() * t.timeBase;
        }
    }

    /**
     * Whether the decoder lost pictures before the last one handed out: then {@link #undecodableTime()} is the first
     * lost picture's time, and the next call says false.
     */
    boolean takeLostPicture() {
        double time = lostPictureTime;
        lostPictureTime = Double.NaN;
        boolean taken = !Double.isNaN(time) && undecodable(time);
        undecodableLost = taken;
        return taken;
    }

    /** Counts a rejected video packet; true when it is a defect candidate (after the first keyframe). */
    boolean undecodable(double pts) {
        if (!keySeen) {
            return false; // joining mid-stream: the decoder rejects what depends on pictures we never saw
        }
        decodeErrors++;
        undecodableTime = Double.isNaN(pts) ? keyPts : pts;
        undecodableLost = false;
        return true;
    }

    /** Whether the last undecodable one is a picture the decoder lost, known only once later ones came in. */
    boolean undecodableLost() {
        return undecodableLost;
    }

    /** Stream time of the packet behind the last undecodable one, seconds. */
    double undecodableTime() {
        return undecodableTime;
    }

    /** Packets the decoders refused and pictures they flagged as damaged, so far. */
    long decodeErrors() {
        return decodeErrors;
    }

    long videoPictures() {
        return videoPictures;
    }

    /** The time of the last picture delivered. */
    double lastVideoPts() {
        return lastVideoPts;
    }

    /**
     * Whether a picture lasting {@code periods} frame periods of its sequence's rate is of that rate: one period; or,
     * where a picture lasts until the next one's timestamp (MP4), a whole number of them, pictures missing after it
     * (an MP4 sample table holds no other duration, and its parameter sets cannot change without a new picture size).
     */
    static boolean ofRate(double periods, boolean lastsUntilNext) {
        double whole = lastsUntilNext ? Math.max(1, Math.rint(periods)) : 1;
        return Math.abs(periods - whole) <= 0.02;
    }
}
