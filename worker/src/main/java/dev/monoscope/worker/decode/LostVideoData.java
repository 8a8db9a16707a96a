package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.monoscope.worker.transport.TsAnalyzer;
import dev.monoscope.worker.transport.TsCheck;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Which pictures of an MPEG-TS input the worker reads itself (a TS file, UDP/RTP, HTTP, HLS segments) lost data on
 * the way in — what a GPU decoder, which flags no damage, still lets the corruption detector see. FFmpeg's demuxer
 * marks a packet corrupt ({@code AV_PKT_FLAG_CORRUPT}) when data was lost (continuity, transport error indicator),
 * but also when a PES length does not match, a muxer's quirk some real streams carry throughout with nothing lost
 * (test-072): a mark counts only when the transport analyser saw data lost on the video PID that no earlier mark
 * accounted for. And as the demuxer's
 * parser hands a picture out when the next picture's data begins, the mark lands on the packet before the damaged one.
 * Through HLS the demuxer also marks segment boundaries where a packager restarts the counters, or a skipped segment;
 * the analyser, which checks HLS per segment, counts no loss there, so those marks do not count. HLS streams do not
 * carry their PID: there it is the video PID the PMTs list, when they list one.
 */
final class LostVideoData {

    /** Bounds the pending times (a stream that marks everything, or timestamps gone wild). */
    private static final int MAX_PENDING = 64;
    /** Pending times further ahead of the pictures than this (a timestamp jump) are dropped. */
    private static final double HORIZON_SECONDS = 10;

    private final TsAnalyzer transport;
    /** The packets' stream ids are not PIDs (HLS): take the one video PID of the PMTs. */
    private final boolean pidFromPmt;

    private int pid = -1;
    /** Continuity and transport-error-indicator errors on the video PID that marks accounted for. */
    private long accounted;

    private boolean nextPacketLost;
    /** Times of video packets that lost data, until a picture at or after them comes out. */
    private final List<Double> pending = new ArrayList<>();

    LostVideoData(TsAnalyzer transport, boolean pidFromPmt) {
        this.transport = transport;
        this.pidFromPmt = pidFromPmt;
    }

    /** A video packet the demuxer handed out, of stream {@code streamId}, its time base {@code timeBase} seconds. */
    void packetRead(AVPacket packet, int streamId, double timeBase) {
        if (nextPacketLost && pending.size() < MAX_PENDING) {
            long ts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
            // without a timestamp: the next picture out
            pending.add(ts == AV_NOPTS_VALUE ? Double.NEGATIVE_INFINITY : ts * timeBase);
        }
        nextPacketLost = (packet.flags() & AV_PKT_FLAG_CORRUPT) != 0 && unaccountedLoss(streamId);
    }

    /**
     * Whether the picture at {@code pts} lost data: the first picture out at or after a lost packet's time (pictures
     * come out in display order; a picture lost with its packet passes the mark to the next).
     */
    boolean pictureLost(double pts) {
        if (pending.isEmpty()) {
            return false;
        }
        pending.removeIf(at -> at > pts + HORIZON_SECONDS);
        return pending.removeIf(at -> at <= pts + 1e-6);
    }

    private boolean unaccountedLoss(int streamId) {
        int videoPid = streamId;
        if (pidFromPmt) {
            int[] listed = transport.videoPids();
            videoPid = listed.length == 1 ? listed[0] : -1;
        }
        if (videoPid < 0 || videoPid > 0x1FFF) {
            return false;
        }
        if (videoPid != pid) { // the first mark: what was lost on this PID before it is its own
            pid = videoPid;
            accounted = 0;
        }
        long losses = transport.counters().errors(TsCheck.CONTINUITY_COUNT_ERROR, pid)
                + transport.counters().errors(TsCheck.TRANSPORT_ERROR, pid);
        boolean unaccounted = losses > accounted;
        accounted = losses;
        return unaccounted;
    }
}
