package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Freeze through the command line on encodes that break a picture-for-picture comparison: a grainy picture frozen
 * from 4 s to 8 s and encoded at a starved bitrate, keyframes inside the freeze re-encoding it (H.264 at 250 and
 * 400 kb/s, MPEG-2 at 400 kb/s), must be one freeze within 0.1 s of its edges, also when a keyframe re-encodes the
 * frozen picture right after it starts; a still picture on which one small element moves (a box of 40 × 40 at 720p or
 * 32 × 32 at 1080p moving across, a channel bug of 44 px at 540p or 32 px at 1080p turning in its corner) is no freeze
 * at all.
 */
class FreezeOnEncodedContentTest {

    private static final double FREEZE_START = 4.0;
    private static final double FREEZE_END = 8.0;

    /** 12 s of grainy 720p testsrc2, pictures 100 to 199 (4 s to 8 s) the picture 100 again, then encoded. */
    private static Path frozen(String name, double grain, String... codec) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=25:duration=12",
                "-vf",
                "noise=alls=" + grain + ":allf=t+u,split[a][b];[a][b]freezeframes=first=101:last=199:replace=100"));
        args.addAll(List.of(codec));
        return TestMedia.clip(name, args);
    }

    /** A still testsrc2 picture with a box of {@code box} pixels moving across it at {@code speed} pixels/s. */
    private static Path movingBox(String name, String size, int box, String colour, int speed) {
        String element = "color=c=" + colour + ":size=" + box + "x" + box + ":rate=25:duration=12";
        return overStill(name, size, element, "x='300+t*" + speed + "':y=300", "1M");
    }

    /**
     * A still testsrc2 picture with a channel bug in its corner: a testsrc2 of {@code bug} pixels turning slowly (a
     * turn in 12.6 s). Its pixels change every picture, its block means hardly.
     */
    private static Path turningBug(String name, String size, int bug) {
        String element = "testsrc2=size=" + bug + "x" + bug + ":rate=25:duration=12,rotate=a=t*0.5:fillcolor=black";
        return overStill(name, size, element, "x=W-w-48:y=27", "2M");
    }

    /** 12 s of the first picture of testsrc2 with the lavfi {@code element} laid over it at {@code position}. */
    private static Path overStill(String name, String size, String element, String position, String bitrate) {
        return TestMedia.clip(
                name,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=" + size + ":rate=25:duration=1",
                        "-f",
                        "lavfi",
                        "-i",
                        element,
                        "-filter_complex",
                        "[0:v]trim=end_frame=1,loop=loop=-1:size=1,setpts=N/25/TB[bg];[bg][1:v]overlay=" + position
                                + ":shortest=1",
                        "-t",
                        "12",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        bitrate,
                        "-g",
                        "50"));
    }

    private static Path clip(String kind) {
        return switch (kind) {
            case "h264-400k" ->
                frozen("freeze-grain-h264-400k.ts", 20, "-c:v", "libopenh264", "-b:v", "400k", "-g", "25");
            case "h264-250k" ->
                frozen("freeze-grain-h264-250k.ts", 30, "-c:v", "libopenh264", "-b:v", "250k", "-g", "12");
            case "mpeg2-400k" ->
                frozen("freeze-grain-mpeg2-400k.ts", 25, "-c:v", "mpeg2video", "-b:v", "400k", "-g", "12");
            case "box-720p" -> movingBox("freeze-box-720p.ts", "1280x720", 40, "white", 40);
            case "box-1080p" -> movingBox("freeze-box-1080p.ts", "1920x1080", 32, "black", 20);
            case "bug-540p" -> turningBug("freeze-bug-540p.ts", "960x540", 44);
            case "bug-1080p" -> turningBug("freeze-bug-1080p.ts", "1920x1080", 32);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h264-400k", "h264-250k", "mpeg2-400k"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aGrainyFreezeAtAStarvedBitrateIsOneFreezeAtItsEdges(String kind) {
        CliRun run = CliRun.of("monitor", "--json", clip(kind).toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> freezes = run.ended().stream()
                .filter(e -> e.path("type").asText().equals("freeze"))
                .toList();
        assertThat(freezes).as("freezes in %s", run.stdout()).hasSize(1);
        assertThat(freezes.get(0).path("start").asDouble()).isCloseTo(FREEZE_START, within(0.1));
        assertThat(freezes.get(0).path("end").asDouble()).isCloseTo(FREEZE_END, within(0.1));
        assertThat(run.ended()).extracting(e -> e.path("type").asText()).containsOnly("freeze");
    }

    /**
     * A grainy cellular automaton at 1080p frozen from picture 46 (1.84 s) to 6.04 s, MPEG-2 at a starved 2 Mb/s with
     * a keyframe every 2 s: the keyframe at 2.0 s re-encodes the frozen picture, and its block means move by more than
     * coding noise between predicted pictures. The freeze still starts at its first picture, not at that keyframe.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKeyframeThatReEncodesTheFrozenPictureKeepsTheFreezeStart() {
        Path clip = TestMedia.clip(
                "freeze-keyframe-refresh-mpeg2-1080p.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "cellauto=s=320x180:r=25:rule=18:random_fill_ratio=0.5:random_seed=5:scroll=1,"
                                + "scale=1920:1080:flags=neighbor,format=yuv420p,noise=alls=12:allf=t,trim=duration=8,"
                                + "split[a][b];[a][b]freezeframes=first=47:last=150:replace=46,format=yuv420p",
                        "-c:v",
                        "mpeg2video",
                        "-g",
                        "50",
                        "-bf",
                        "2",
                        "-b:v",
                        "1968k",
                        "-maxrate",
                        "2952k",
                        "-bufsize",
                        "3936k"));
        CliRun run = CliRun.of("monitor", "--json", clip.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> freezes = run.ended().stream()
                .filter(e -> e.path("type").asText().equals("freeze"))
                .toList();
        assertThat(freezes).as("freezes in %s", run.stdout()).hasSize(1);
        assertThat(freezes.get(0).path("start").asDouble()).isCloseTo(1.84, within(0.1));
        assertThat(freezes.get(0).path("end").asDouble()).isCloseTo(6.04, within(0.1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"box-720p", "box-1080p", "bug-540p", "bug-1080p"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aStillPictureWithOneSmallMovingElementIsNotFrozen(String kind) {
        CliRun run = CliRun.of("monitor", "--json", clip(kind).toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.ended()).as("defects on %s", kind).isEmpty();
    }

    /**
     * A band of colour panning across a picture of one luma, its only structure colour: luma alone shows one frozen
     * picture for the whole clip (FFmpeg's freezedetect, which compares all three planes, sees none).
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aColourBandPanningOverFlatLumaIsNotFrozen() {
        String band = "exp(-pow((X-N-40)/24,2))";
        Path clip = TestMedia.clip(
                "freeze-colour-pan.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "color=c=gray:s=640x360:r=25:d=8,format=yuv420p,geq=lum=128:cb='128+80*" + band
                                + "':cr='128-60*" + band + "'",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "1M",
                        "-g",
                        "50"));
        CliRun run = CliRun.of("monitor", "--json", clip.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.ended()).as("defects").isEmpty();
    }
}
