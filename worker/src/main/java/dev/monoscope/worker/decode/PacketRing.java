package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_copy_props;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.Pointer;

/**
 * The last seconds of the demuxed packets of the chosen streams, copied into buffers of their own size, from which
 * clips around a moment are remuxed without re-encoding ({@link ClipMuxer}). A clip starts at the video keyframe at
 * or before its start, lasts at most {@value #MAX_CLIP_SECONDS} s, and is written once the ring holds its end, or when
 * the input closes with what it has. Times are the streams' own, in seconds. Used on the decoding thread only.
 */
public final class PacketRing implements AutoCloseable {

    static final double MAX_CLIP_SECONDS = 30;

    /** A clip asked for: from and to on the streams' clock; where its MPEG-TS and MP4 files go. */
    public record Clip(double from, double to, Path ts, Path mp4) {}

    /** What became of a clip: which files were written, and the times they span. */
    public record Written(Clip clip, boolean ts, boolean mp4, double start, double end) {}

    /** Told when a clip was written, on the decoding thread. */
    public interface Listener {
        void written(Written clip);
    }

    private record Entry(AVPacket packet, Track track, double time, boolean key) {}

    private record Pending(Clip clip, Listener listener) {}

    private final double seconds;
    private final long maxBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private long bytes;
    private double newest = Double.NEGATIVE_INFINITY;
    private boolean hasVideo;

    PacketRing(double seconds, long maxBytes) {
        this.seconds = seconds;
        this.maxBytes = maxBytes;
    }

    /** Asks for a clip; {@code listener} is told once it is written. */
    public void clip(Clip clip, Listener listener) {
        pending.add(new Pending(clip, listener));
    }

    /** Holds bytes now. */
    public long bytes() {
        return bytes;
    }

    /** A packet of track {@code t} was read. */
    void add(AVPacket packet, Track t) {
        long ts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        if (ts == AV_NOPTS_VALUE) {
            return; // nowhere to put it in time
        }
        AVPacket ref = copyOf(packet);
        if (ref == null) {
            return;
        }
        hasVideo |= t.isVideo;
        double time = ts * t.timeBase;
        entries.add(new Entry(ref, t, time, !t.isVideo || (packet.flags() & AV_PKT_FLAG_KEY) != 0));
        bytes += packet.size();
        newest = Math.max(newest, time);
        writeDue(false);
        while (!entries.isEmpty() && (newest - entries.peekFirst().time > seconds || bytes > maxBytes)) {
            drop(entries.pollFirst());
        }
    }

    /**
     * A packet of its own, its data copied: a reference would hold the demuxer's buffer, which for MPEG-TS video is
     * a pool buffer of up to 200 KiB whatever the packet's size, and keep it from being reused.
     */
    private static AVPacket copyOf(AVPacket packet) {
        AVPacket copy = av_packet_alloc();
        if (copy == null) {
            return null;
        }
        if (av_new_packet(copy, packet.size()) < 0 || av_packet_copy_props(copy, packet) < 0) {
            av_packet_free(copy);
            return null;
        }
        Pointer.memcpy(copy.data(), packet.data(), packet.size());
        return copy;
    }

    private void writeDue(boolean all) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (all || newest >= Math.min(p.clip.to, p.clip.from + MAX_CLIP_SECONDS)) {
                it.remove();
                p.listener.written(write(p.clip));
            }
        }
    }

    private Written write(Clip clip) {
        List<Entry> all = new ArrayList<>(entries);
        int first = -1;
        for (int i = 0; i < all.size(); i++) {
            Entry e = all.get(i);
            boolean starts = e.key && (e.track.isVideo || !hasVideo);
            if (starts && (first < 0 || e.time <= clip.from)) {
                first = i; // the last keyframe at or before the start, or the first there is
            }
        }
        if (first < 0) {
            return new Written(clip, false, false, Double.NaN, Double.NaN);
        }
        double start = all.get(first).time;
        double end = Math.min(clip.to, start + MAX_CLIP_SECONDS);
        List<AVPacket> packets = new ArrayList<>();
        List<Track> tracks = new ArrayList<>();
        double last = start;
        for (Entry e : all.subList(first, all.size())) {
            if (e.time > end || (!e.track.isVideo && e.time < start)) {
                continue;
            }
            packets.add(e.packet);
            tracks.add(e.track);
            last = Math.max(last, e.time);
        }
        boolean ts = ClipMuxer.write(clip.ts, "mpegts", packets, tracks);
        boolean mp4 = ClipMuxer.write(clip.mp4, "mp4", packets, tracks);
        return new Written(clip, ts, mp4, start, last);
    }

    private void drop(Entry e) {
        bytes -= e.packet.size();
        av_packet_free(e.packet);
    }

    /** The input closes: the clips still waiting are written with what there is, and the packets let go. */
    @Override
    public void close() {
        writeDue(true);
        while (!entries.isEmpty()) {
            drop(entries.pollFirst());
        }
    }
}
