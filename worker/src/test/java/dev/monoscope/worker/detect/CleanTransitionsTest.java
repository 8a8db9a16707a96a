package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Clean content that naive detectors mistake for defects, through the command line with its defaults: a slow zoom
 * and a slow pan over a still broadcast picture at starved bitrates (no corruption, no frame drop), a slow zoom over a
 * smooth pattern (no texture to match, block means drifting by a fraction of a level a second: no freeze), the pictures
 * right after black and after a freeze, a title card with one small animated element, hard cuts and a fade through
 * black shorter than the minimum. Each clip raises exactly the defects it really has.
 */
class CleanTransitionsTest {

    private static final List<String> H264_400K = List.of("-c:v", "libopenh264", "-b:v", "400k", "-g", "50");
    private static final List<String> MPEG2_1M = List.of("-c:v", "mpeg2video", "-b:v", "1M", "-g", "12");

    /** The first picture of a real broadcast capture, 1280x720, held for 12 s at 25 fps, then {@code motion}. */
    private static List<String> stillThen(String motion) {
        return List.of(
                "-i",
                TestMedia.broadcast("test-025.ts").toString(),
                "-map",
                "0:v:0",
                "-vf",
                "trim=end_frame=1,scale=1280:720,loop=loop=299:size=1,setpts=N/25/TB," + motion + ",format=yuv420p",
                "-r",
                "25");
    }

    private static Path clip(String name, List<String> codec, String... input) {
        return clip(name, codec, List.of(input));
    }

    private static Path clip(String name, List<String> codec, List<String> input) {
        List<String> args = new ArrayList<>(input);
        args.addAll(codec);
        return TestMedia.clip(name, args);
    }

    private static Path clip(String kind) {
        String testsrc = "testsrc2=size=1280x720:rate=25:duration=10";
        return switch (kind) {
            case "zoom-h264", "zoom-mpeg2" ->
                clip(
                        "transition-" + kind + ".ts",
                        kind.endsWith("h264") ? H264_400K : MPEG2_1M,
                        stillThen("zoompan=z='1+0.001*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1280x720"));
            case "zoom-gradient" ->
                clip(
                        "transition-zoom-gradient.ts",
                        List.of("-c:v", "mpeg2video", "-b:v", "800k", "-g", "12"),
                        "-f",
                        "lavfi",
                        "-i",
                        // a smooth pattern (FFmpeg's gradients source is not the same from one run to the next)
                        "nullsrc=size=960x540:rate=25,trim=end_frame=1,geq=lum='112+80*sin(X/150)*cos(Y/120)'"
                                + ":cb=128:cr=128,loop=loop=299:size=1,setpts=N/25/TB,scale=1920:1080,"
                                + "zoompan=z='1+0.000133*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=960x540,"
                                + "format=yuv420p",
                        "-r",
                        "25");
            case "pan-mpeg2" ->
                clip("transition-pan-mpeg2.ts", MPEG2_1M, stillThen("scale=1400:-2,crop=1280:720:x='t*8':y=10"));
            case "after-black" ->
                clip(
                        "transition-after-black.ts",
                        H264_400K,
                        "-f",
                        "lavfi",
                        "-i",
                        testsrc,
                        "-vf",
                        "drawbox=enable='between(t,3,6)':c=black:t=fill");
            case "after-freeze" ->
                clip(
                        "transition-after-freeze.ts",
                        MPEG2_1M,
                        "-f",
                        "lavfi",
                        "-i",
                        testsrc,
                        "-vf",
                        "split[a][b];[a][b]freezeframes=first=76:last=149:replace=75");
            case "title-card" ->
                clip(
                        "transition-title-card.ts",
                        H264_400K,
                        "-f",
                        "lavfi",
                        "-i",
                        "smptebars=size=1280x720:rate=25:duration=1",
                        "-f",
                        "lavfi",
                        "-i",
                        "color=c=white:size=40x40:rate=25:duration=10",
                        "-filter_complex",
                        "[0:v]trim=end_frame=1,loop=loop=-1:size=1,setpts=N/25/TB[bg];"
                                + "[bg][1:v]overlay=x='1100+30*sin(t*3)':y=600:shortest=1",
                        "-t",
                        "10");
            case "cuts" ->
                clip(
                        "transition-cuts.ts",
                        MPEG2_1M,
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=1280x720:rate=25:duration=2",
                        "-f",
                        "lavfi",
                        "-i",
                        "smptebars=size=1280x720:rate=25:duration=2",
                        "-f",
                        "lavfi",
                        "-i",
                        "mandelbrot=size=1280x720:rate=25",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc=size=1280x720:rate=25:duration=2",
                        "-filter_complex",
                        "[2:v]trim=duration=2[m];[0:v][1:v][m][3:v]concat=n=4:v=1:a=0,format=yuv420p");
            case "short-fade" ->
                clip(
                        "transition-short-fade.ts",
                        H264_400K,
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=1280x720:rate=25:duration=3.5",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=1280x720:rate=25:duration=6",
                        "-filter_complex",
                        "[0:v]fade=t=out:st=3:d=0.5[a];[1:v]fade=t=in:st=0:d=0.5[b];[a][b]concat=n=2:v=1:a=0");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "zoom-h264,",
        "zoom-mpeg2,",
        "zoom-gradient,",
        "pan-mpeg2,",
        "after-black,black",
        "after-freeze,freeze",
        "title-card,",
        "cuts,",
        "short-fade,"
    })
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void cleanContentRaisesOnlyWhatItHas(String kind, String expected) {
        CliRun run = CliRun.of("monitor", "--json", clip(kind).toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> types =
                run.ended().stream().map(e -> e.path("type").asText()).toList();
        assertThat(types).as("%s: %s", kind, run.stdout()).isEqualTo(expected == null ? List.of() : List.of(expected));
    }
}
