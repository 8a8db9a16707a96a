package dev.monoscope.worker.corpus;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/**
 * A generated clip with defects at known times (content seconds): black [1, 4), a frozen picture [5, 8), silence
 * [9, 12], bitstream damage on the packets at 12.5 s (noise bitstream filter), keyframes every 2 s, 15 s long.
 */
public record LabelledClip(String name, String size, int fps, List<String> videoCodec, List<String> audioCodec) {

    public static final double BLACK_START = 1, BLACK_END = 4;
    public static final double FREEZE_START = 5, FREEZE_END = 8;
    public static final double SILENCE_START = 9, SILENCE_END = 12;
    public static final double DAMAGE_AT = 12.5, NEXT_KEYFRAME = 14;
    public static final double DURATION = 15;

    @Override
    public String toString() {
        return name;
    }

    /** Generates the clip once (cached under target/corpus). */
    public Path file() {
        int freezeFirst = (int) Math.round(FREEZE_START * fps);
        int freezeLast = (int) Math.round(FREEZE_END * fps) - 1;
        String video = String.format(
                Locale.ROOT,
                "[0:v]split[a][b];[a][b]freezeframes=first=%d:last=%d:replace=%d,"
                        + "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,%s)*lt(t,%s)'[v]",
                freezeFirst + 1,
                freezeLast,
                freezeFirst,
                BLACK_START,
                BLACK_END);
        List<String> args = new ArrayList<>(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + size + ":rate=" + fps + ":duration=" + DURATION,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + DURATION,
                "-filter_complex",
                video,
                "-map",
                "[v]",
                "-map",
                "1:a",
                "-af",
                String.format(Locale.ROOT, "volume=enable='between(t,%s,%s)':volume=0", SILENCE_START, SILENCE_END)));
        args.addAll(videoCodec);
        args.addAll(List.of("-g", Integer.toString(2 * fps)));
        args.addAll(audioCodec);
        args.addAll(List.of(
                "-bsf:v",
                String.format(
                        Locale.ROOT,
                        "noise=amount='if(between((pts-startpts)*tb,%s,%s),40,0)'",
                        damagedStretch()[0],
                        damagedStretch()[1])));
        return TestMedia.clip(name, args, this::holdsTheDamagedPicture);
    }

    /**
     * Whether the file holds a video packet from the damaged stretch. The MP4 muxer leaves out a temporal unit whose
     * AV1 OBU header the noise broke (about one SVT-AV1 encode in 35): the damage is then a picture missing from
     * the file, and the first one the decoder fails on comes after {@link #DAMAGE_AT}.
     */
    private boolean holdsTheDamagedPicture(Path made) {
        AVFormatContext fmt = TestMedia.probed(made);
        if (fmt == null) {
            return false;
        }
        AVPacket packet = av_packet_alloc();
        try {
            int video = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            AVStream st = fmt.streams(video);
            double[] damaged = damagedStretch();
            while (av_read_frame(fmt, packet) >= 0) {
                boolean isVideo = packet.stream_index() == video;
                double t = (packet.pts() - st.start_time()) * av_q2d(st.time_base());
                av_packet_unref(packet);
                if (isVideo && t >= damaged[0] - 1e-6 && t <= damaged[1] + 1e-6) {
                    return true;
                }
            }
            return false;
        } finally {
            av_packet_free(packet);
            avformat_close_input(fmt);
        }
    }

    /** The stretch of content time whose video packets the noise damages: the picture at {@link #DAMAGE_AT}. */
    private double[] damagedStretch() {
        return new double[] {DAMAGE_AT - 0.001, DAMAGE_AT + 1.0 / fps};
    }

    /**
     * Where content time 0 of the video and of the audio lies on the monitor's media clock (0 at the first frame
     * of either): the streams' start times against the container's, as libavformat reads them.
     */
    public double[] offsets() {
        Path file = file(); // made or checked once: each look reads the whole clip
        AVFormatContext fmt = TestMedia.probed(file);
        if (fmt == null) {
            throw new IllegalStateException("cannot probe " + file);
        }
        try {
            double start = fmt.start_time() / 1e6;
            double v = 0;
            double a = 0;
            for (int i = 0; i < fmt.nb_streams(); i++) {
                AVStream st = fmt.streams(i);
                double t = st.start_time() * av_q2d(st.time_base());
                if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                    v = t - start;
                } else if (st.codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                    a = t - start;
                }
            }
            return new double[] {v, a};
        } finally {
            avformat_close_input(fmt);
        }
    }

    static List<String> h264(String bitrate) {
        return List.of("-c:v", "libopenh264", "-b:v", bitrate);
    }

    static List<String> mpeg2(String bitrate) {
        return List.of("-c:v", "mpeg2video", "-b:v", bitrate);
    }

    static final List<String> AAC = List.of("-c:a", "aac", "-b:a", "128k");
    static final List<String> MP2 = List.of("-c:a", "mp2", "-b:a", "192k");
    static final List<String> AC3 = List.of("-c:a", "ac3", "-b:a", "192k");

    /** The corpus: H.264, MPEG-2, VP9, AV1; 720p and 1080p; 25/30/50 fps; TS and MP4. */
    public static List<LabelledClip> corpus() {
        return List.of(
                new LabelledClip("h264-720p25.ts", "1280x720", 25, h264("2M"), AAC),
                new LabelledClip("h264-720p50.mp4", "1280x720", 50, h264("3M"), AAC),
                new LabelledClip("h264-1080p30.mp4", "1920x1080", 30, h264("4M"), AAC),
                new LabelledClip("mpeg2-720p25.ts", "1280x720", 25, mpeg2("4M"), MP2),
                new LabelledClip("mpeg2-720p50.ts", "1280x720", 50, mpeg2("6M"), AC3),
                new LabelledClip("mpeg2-1080p25.ts", "1920x1080", 25, mpeg2("8M"), MP2),
                new LabelledClip(
                        "vp9-360p30.mp4",
                        "640x360",
                        30,
                        List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M"),
                        AAC),
                new LabelledClip(
                        "av1-360p25.mp4",
                        "640x360",
                        25,
                        List.of("-c:v", "libsvtav1", "-preset", "12", "-b:v", "1M"),
                        AAC));
    }
}
