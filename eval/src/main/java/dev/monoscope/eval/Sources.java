package dev.monoscope.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The moving pictures clips are made from: lavfi sources, and the real broadcast captures of the worker's fixtures,
 * whose clean part (from the first keyframe, without the cut-off last picture) is extracted once and looped.
 */
final class Sources {

    /**
     * Put before a filter graph: its scaling and pixel-format conversions use swscale's exact code, the same on every
     * CPU (its default picks the CPU's fastest, which rounds differently).
     */
    static final String BITEXACT_SCALING = "sws_flags=+accurate_rnd+bitexact;";

    /** Synthetic sources; {@code mandelbrot} is held out of the tuning set. */
    static final List<String> SYNTHETIC = List.of("testsrc2", "cellauto", "gradients", "mandelbrot");

    /** Real captures usable as pictures: file, clean start and length (s); test-025 is held out of tuning. */
    record Capture(String file, double start, double length) {}

    static final List<Capture> CAPTURES = List.of(
            new Capture("test-025.ts", 0.75, 2.2),
            new Capture("test-072.ts", 0.05, 11.8),
            new Capture("test-137.ts", 0.12, 1.0));

    private Sources() {}

    /** A filter chain (no input label) making {@code source} at the recipe's size and rate, {@code seconds} long. */
    static String chain(String source, Recipe r, long seed, double seconds) {
        int w = r.width();
        int h = r.height();
        int fps = r.fps();
        String d = num(seconds);
        String trim = ",trim=duration=" + d + ",setpts=PTS-STARTPTS";
        if (source.startsWith("capture:")) {
            Path clean = clean(capture(source.substring("capture:".length())));
            return "movie=" + clean + ":loop=0,setpts=N/(25*TB),scale=" + w + ":" + h + ",setsar=1,fps=" + fps
                    + ",format=yuv420p" + trim;
        }
        return switch (source) {
            case "testsrc2" -> "testsrc2=s=" + w + "x" + h + ":r=" + fps + trim;
            case "cellauto" ->
                "cellauto=s=320x180:r=" + fps + ":rule=" + (new long[] {18, 30, 90, 110}[(int) (seed & 3)])
                        + ":random_fill_ratio=0.5:random_seed=" + (seed & 0xffff) + ":scroll=1,scale=" + w + ":" + h
                        + ":flags=neighbor,format=yuv420p" + trim;
            case "gradients" ->
                "gradients=s=" + w + "x" + h + ":r=" + fps + ":speed=0.03:n=5:seed=" + (seed & 0xffff) + colors(seed)
                        + ",format=yuv420p,noise=alls=8:allf=t" + trim;
            case "mandelbrot" ->
                "mandelbrot=s=480x270:r=" + fps
                        // a slow zoom that stays far from the set's flat depths, and a slight morph: never still
                        + ":maxiter=256:end_pts=2000:end_scale=0.05:morphamp=0.2,scale=" + w + ":" + h
                        + ",format=yuv420p" + trim;
            default -> throw new IllegalArgumentException("unknown source " + source);
        };
    }

    /**
     * The gradients' five colours, from the seed: the filter's own default, "random", is drawn from the system's
     * random seed, not from its {@code seed} option, and made another picture on every run.
     */
    private static String colors(long seed) {
        Random rnd = new Random(seed);
        StringBuilder colors = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            colors.append(String.format(Locale.ROOT, ":c%d=0x%06x", i, rnd.nextInt(1 << 24)));
        }
        return colors.toString();
    }

    /** A still picture from {@code source}: its frame at {@code at} seconds, repeated. */
    static String still(String source, Recipe r, long seed, double at, double seconds) {
        int frame = (int) Math.round(at * r.fps());
        return chain(source, r, seed, at + 1) + ",trim=start_frame=" + frame + ":end_frame=" + (frame + 1)
                + ",loop=loop=-1:size=1,setpts=N/(" + r.fps() + "*TB),trim=duration=" + num(seconds);
    }

    static Capture capture(String file) {
        return CAPTURES.stream()
                .filter(c -> c.file().equals(file))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no capture " + file));
    }

    /**
     * The extraction's version, in the cached file's name: clips name the file in their FFmpeg command (their cache
     * key), so a source extracted another way is not mixed with clips made from it. 3: one thread and bit-exact
     * scaling, the same bytes on every machine.
     */
    private static final int EXTRACTION = 3;

    /** The capture's clean part, extracted once (input seeking decodes from the keyframe before the start). */
    static synchronized Path clean(Capture c) {
        Path out =
                Corpus.dir().resolve("sources").resolve(c.file().replace(".ts", "") + "-clean-" + EXTRACTION + ".mkv");
        if (Files.isRegularFile(out)) {
            return out;
        }
        Path in = Path.of(System.getProperty("monoscope.root", ".."))
                .resolve("worker/src/test/resources/broadcast")
                .resolve(c.file())
                .toAbsolutePath()
                .normalize();
        try {
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling(".tmp-" + out.getFileName());
            Ffmpeg.run(
                    "ffmpeg",
                    List.of(
                            "-loglevel",
                            "error",
                            "-y",
                            "-filter_threads",
                            "1",
                            "-ss",
                            num(c.start()),
                            "-i",
                            in.toString(),
                            "-t",
                            num(c.length()),
                            "-an",
                            "-sn",
                            "-dn",
                            "-vf",
                            BITEXACT_SCALING + "scale='min(1920,iw)':-2,setsar=1,format=yuv420p",
                            "-c:v",
                            "libx264",
                            "-preset",
                            "ultrafast",
                            "-crf",
                            "8",
                            "-threads",
                            "1",
                            "-f",
                            "matroska",
                            tmp.toString()),
                    out.resolveSibling(".log-" + c.file() + ".txt"),
                    true,
                    300);
            Files.move(tmp, out);
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot extract " + c.file(), e);
        }
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
