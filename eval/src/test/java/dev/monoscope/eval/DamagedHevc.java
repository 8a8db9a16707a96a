package dev.monoscope.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HEVC clips with damaged packets, made once and cached: {@code testsrc2} at 960 × 540 and 25 fps, encoded by x265 with
 * one thread (the same bits every run) at 1 Mb/s, a keyframe every {@code keyint} pictures and no other, and the
 * packets {@code damaged} picks (an FFmpeg expression of the decode-order number {@code n}) garbled by FFmpeg's
 * {@code noise} filter.
 */
final class DamagedHevc {

    private DamagedHevc() {}

    static Path clip(String name, int seconds, int keyint, String damaged) throws IOException {
        Path dir = Files.createDirectories(Corpus.dir().resolve("tests"));
        Path clip = dir.resolve(name);
        if (Files.isRegularFile(clip)) {
            return clip;
        }
        Path tmp = dir.resolve(".tmp-" + name);
        String encode = "-loglevel error -y -f lavfi -i testsrc2=size=960x540:rate=25:duration=" + seconds
                + " -c:v libx265 -preset ultrafast -b:v 1M -x265-params keyint=" + keyint + ":min-keyint=" + keyint
                + ":scenecut=0:pools=1:frame-threads=1:log-level=error"
                + " -bsf:v noise=amount='if(" + damaged + ",40,0)' -f mpegts";
        List<String> args = new ArrayList<>(List.of(encode.split(" ")));
        args.add(tmp.toString());
        Ffmpeg.run("ffmpeg", args, dir.resolve(".log-" + name + ".txt"), false, 60);
        Files.move(tmp, clip);
        return clip;
    }

    /** The {@code corruption} defects Monoscope reports on the clip, with its log beside the clip. */
    static List<Truth> corruption(Path clip, double seconds) {
        return Tools.monoscope(clip, seconds, log(clip)).stream()
                .filter(t -> t.type().equals(Injected.DAMAGE))
                .toList();
    }

    private static Path log(Path clip) {
        return clip.resolveSibling(clip.getFileName() + ".monoscope.log");
    }

    /** What Monoscope printed on stderr when {@link #corruption} ran on the clip. */
    static String printed(Path clip) {
        try {
            return Files.readString(Tools.stderrOf(log(clip)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
