package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/** Writes demuxed packets into a new container as they are (a remux: no decoding, no encoding). */
final class ClipMuxer {

    private ClipMuxer() {}

    /**
     * Writes {@code packets} (of {@code tracks}, one each, in read order) to {@code file} in {@code format}.
     *
     * @return whether the file was written; a failed one is removed
     */
    static boolean write(Path file, String format, List<AVPacket> packets, List<Track> tracks) {
        AVFormatContext out = new AVFormatContext(null);
        if (avformat_alloc_output_context2(out, null, format, file.toString()) < 0 || out.isNull()) {
            return false;
        }
        boolean ok = false;
        try {
            Map<Integer, AVStream> streams = new HashMap<>();
            for (Track t : tracks) {
                if (!streams.containsKey(t.stream.index())) {
                    AVStream s = avformat_new_stream(out, null);
                    avcodec_parameters_copy(s.codecpar(), t.stream.codecpar());
                    s.codecpar().codec_tag(0); // the output container's own tag
                    s.time_base(t.stream.time_base());
                    streams.put(t.stream.index(), s);
                }
            }
            AVIOContext pb = new AVIOContext(null);
            if (avio_open(pb, file.toString(), AVIO_FLAG_WRITE) < 0) {
                return false;
            }
            out.pb(pb);
            if (avformat_write_header(out, (AVDictionary) null) >= 0) {
                for (int i = 0; i < packets.size(); i++) {
                    writePacket(
                            out,
                            packets.get(i),
                            tracks.get(i),
                            streams.get(tracks.get(i).stream.index()));
                }
                ok = av_write_trailer(out) >= 0;
            }
            avio_closep(out.pb());
        } finally {
            avformat_free_context(out);
            if (!ok) {
                deleteQuietly(file);
            }
        }
        return ok;
    }

    private static void writePacket(AVFormatContext out, AVPacket packet, Track t, AVStream s) {
        AVPacket p = av_packet_clone(packet);
        if (p == null) {
            return;
        }
        p.stream_index(s.index());
        av_packet_rescale_ts(p, t.stream.time_base(), s.time_base());
        p.pos(-1);
        av_interleaved_write_frame(out, p); // a packet the muxer refuses (no timestamp) is left out
        av_packet_free(p);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to keep: the clip is reported as not written
        }
    }
}
