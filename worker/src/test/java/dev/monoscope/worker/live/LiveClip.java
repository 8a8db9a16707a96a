package dev.monoscope.worker.live;

import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.List;

/**
 * The clip the live-input tests send: 12 s of 640x360 25 fps H.264 (a keyframe every second, so a monitor joining
 * mid-stream starts within a second) and a stereo AAC tone, MPEG-TS. Moving picture and tone throughout except:
 * black video from {@link #BLACK_START} to {@link #BLACK_END}, silence from {@link #SILENCE_START} to
 * {@link #SILENCE_END} (seconds from the clip's start).
 */
public final class LiveClip {

    public static final double BLACK_START = 3.0;
    public static final double BLACK_END = 6.0;
    public static final double SILENCE_START = 7.0;
    public static final double SILENCE_END = 10.0;
    public static final double DURATION = 12.0;

    private LiveClip() {}

    public static Path get() {
        String d = Double.toString(DURATION);
        return TestMedia.clip(
                "live-640x360-25.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=640x360:rate=25:duration=" + d,
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=" + d,
                        "-filter_complex",
                        "[0:v]drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t," + BLACK_START + ")*lt(t,"
                                + BLACK_END + ")'[v];"
                                + "[1:a]volume=0:enable='gte(t," + SILENCE_START + ")*lt(t," + SILENCE_END + ")',"
                                + "aformat=channel_layouts=stereo[a]",
                        "-map",
                        "[v]",
                        "-map",
                        "[a]",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "800k",
                        "-g",
                        "25",
                        "-pix_fmt",
                        "yuv420p",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "96k"));
    }
}
