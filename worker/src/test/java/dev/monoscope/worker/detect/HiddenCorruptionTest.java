package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.decode.DecoderOptions;
import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.source.SourceUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tier 2: hidden corruption. Clips whose non-keyframe packets are damaged (noise bitstream filter, keyframes left
 * intact) are decoded by the worker's decoder next to their clean originals; a picture is damaged when its PSNR
 * against the clean picture of the same pts is under 30 dB. The corruption detector (decoder flags, pixels, damage
 * carried to the next keyframe) must flag at least 95 % of them, the pixels alone (what a GPU decoder leaves) must
 * still find a floor of them — block steps in the synthetic clips, stalled (concealed) pictures in the grainy natural
 * one — and on clean content — generated and real — the pixels must flag nothing.
 */
class HiddenCorruptionTest {

    private static final double DAMAGED_DB = 30;
    private static final String SIZE = "640x360";
    /** Damaged pictures the pixels alone must find, a little under what they find (h264 35, mpeg2 91, natural 27). */
    private static final Map<String, Integer> PIXEL_FLOOR = Map.of("h264", 30, "mpeg2", 85, "natural", 23);

    /** A clean clip: 6 s at 25 fps, a keyframe every 2 s. */
    private static Path clean(String kind) {
        List<String> src = switch (kind) {
            case "h264", "mpeg2" -> List.of("-f", "lavfi", "-i", "testsrc2=size=" + SIZE + ":rate=25:duration=6");
            // natural-looking: a zoom into the Mandelbrot set with film grain
            default ->
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "mandelbrot=size=" + SIZE + ":rate=25,trim=duration=6",
                        "-vf",
                        "noise=alls=12:allf=t,format=yuv420p");
        };
        List<String> codec = kind.equals("mpeg2")
                ? List.of("-c:v", "mpeg2video", "-b:v", "2M")
                : List.of("-c:v", "libopenh264", "-b:v", "1500k");
        List<String> args = new ArrayList<>(src);
        args.addAll(codec);
        args.addAll(List.of("-g", "50", "-an"));
        return TestMedia.clip("hidden-" + kind + "-clean.ts", args);
    }

    /** The clean clip with bytes of its non-keyframe packets changed (about one byte in {@code every}). */
    private static Path damaged(String kind, int every) {
        return TestMedia.clip(
                "hidden-" + kind + "-damaged-" + every + ".ts",
                List.of(
                        "-i",
                        clean(kind).toString(),
                        "-c",
                        "copy",
                        "-bsf:v",
                        "noise=amount='if(key,0," + every + ")'"));
    }

    /**
     * Clean but hard content: a scene cut every 2 s, mid-GOP (keyframes every 2.4 s): testsrc2, a Mandelbrot zoom,
     * testsrc fading to black, a fast pan and heavy noise.
     */
    static Path hard(String codec) {
        String graph = "[0]format=yuv420p,setsar=1[a];[1]format=yuv420p,setsar=1[b];"
                + "[2]format=yuv420p,noise=alls=40:allf=t,setsar=1[c];[3]format=yuv420p,fade=out:st=1:d=1,setsar=1[d];"
                + "[4]scroll=h=0.07:v=0.05,crop=640:360,format=yuv420p,setsar=1[e];"
                + "[a][b][d][e][c]concat=n=5:v=1:a=0,fps=25,format=yuv420p[v]";
        List<String> args = new ArrayList<>(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + SIZE + ":rate=25:duration=2",
                "-f",
                "lavfi",
                "-i",
                "mandelbrot=size=" + SIZE + ":rate=25,trim=duration=2",
                "-f",
                "lavfi",
                "-i",
                "life=size=" + SIZE + ":rate=25:mold=10:ratio=0.5,trim=duration=2",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=" + SIZE + ":rate=25:duration=2",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=25:duration=2",
                "-filter_complex",
                graph,
                "-map",
                "[v]",
                "-g",
                "60"));
        // openh264's rate control gives up on the noise: constant quality instead
        args.addAll(
                codec.equals("mpeg2")
                        ? List.of("-c:v", "mpeg2video", "-b:v", "4M", "-sc_threshold", "1000000000")
                        : List.of("-c:v", "libopenh264", "-rc_mode", "off"));
        return TestMedia.clip("hidden-hard-" + codec + ".ts", args);
    }

    /** What one decode saw, per picture. */
    record Verdicts(
            List<Double> times,
            List<Boolean> decoderFlag,
            List<Defect> full,
            List<Defect> pixelsOnly,
            Map<Long, Integer> keyTimes) {}

    private static long ms(double t) {
        return Math.round(t * 1000);
    }

    /** Decodes a file, running the detector as the worker does and the pixels alone (no decoder flags) beside it. */
    static Verdicts decode(Path file, Map<Long, byte[]> keep) throws InputException {
        List<Defect> full = new ArrayList<>();
        List<Defect> pixelsOnly = new ArrayList<>();
        DefectTracker fullTracker = tracker(full);
        DefectTracker pixelTracker = tracker(pixelsOnly);
        CorruptionDetector detector = new CorruptionDetector(true, true);
        CorruptionDetector gpuLike = new CorruptionDetector(true, false);
        List<Double> times = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        Map<Long, Integer> keys = new HashMap<>();
        try (StreamDecoder d =
                StreamDecoder.open(SourceUrl.parse(file.toString(), true, null, null), DecoderOptions.cpu(10))) {
            for (StreamDecoder.Kind k = d.next(); k != null; k = d.next()) {
                if (k == StreamDecoder.Kind.UNDECODABLE) {
                    detector.undecodable(d.undecodableTime(), fullTracker);
                    gpuLike.undecodable(d.undecodableTime(), pixelTracker);
                } else if (k == StreamDecoder.Kind.VIDEO) {
                    Picture p = d.picture();
                    double t = p.pts();
                    detector.picture(p, t, fullTracker);
                    gpuLike.picture(p, t, pixelTracker);
                    times.add(t);
                    flags.add(p.damaged());
                    if (p.keyFrame()) {
                        keys.put(ms(t), 1);
                    }
                    if (keep != null) {
                        keep.put(ms(t), luma(p));
                    }
                }
            }
            detector.inputEnded(fullTracker);
            gpuLike.inputEnded(pixelTracker);
            fullTracker.finish(times.isEmpty() ? 0 : times.get(times.size() - 1) + 0.04);
            pixelTracker.finish(times.isEmpty() ? 0 : times.get(times.size() - 1) + 0.04);
        }
        return new Verdicts(times, flags, full, pixelsOnly, keys);
    }

    private static byte[] luma(Picture p) {
        byte[] b = new byte[p.width() * p.height()];
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                b[y * p.width() + x] = (byte) p.luma(x, y);
            }
        }
        return b;
    }

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int e = (a[i] & 0xff) - (b[i] & 0xff);
            se += e * e;
        }
        return se == 0 ? 99 : 10 * Math.log10(255.0 * 255 * a.length / se);
    }

    static boolean within(List<Defect> defects, double t) {
        for (Defect d : defects) {
            if (t + 1e-6 >= d.start && (d.end == null || t + 1e-6 < d.end)) {
                return true;
            }
        }
        return false;
    }

    private static DefectTracker tracker(List<Defect> ended) {
        return new DefectTracker(
                "test",
                List.of(new DefectListener() {
                    @Override
                    public void defectStarted(Defect defect) {}

                    @Override
                    public void defectEnded(Defect defect) {
                        ended.add(defect);
                    }
                }),
                Map.of(),
                Map.of(DefectType.CORRUPTION, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h264", "mpeg2", "natural"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void flagsAtLeast95PercentOfDamagedPicturesAndThePixelsAloneFindTheDamage(String kind) throws Exception {
        Map<Long, byte[]> reference = new HashMap<>();
        Verdicts clean = decode(clean(kind), reference);
        assertThat(clean.full()).as("defects on the clean original").isEmpty();
        assertThat(clean.pixelsOnly()).isEmpty();

        Map<Long, byte[]> pictures = new HashMap<>();
        Verdicts v = decode(damaged(kind, 20_000), pictures);
        int damagedPictures = 0;
        int decoderOnly = 0;
        int pixelsOnly = 0;
        int both = 0;
        int carried = 0;
        int flagged = 0;
        double firstDamage = Double.NaN;
        StringBuilder trace = new StringBuilder();
        Map<Long, Double> dbAt = new HashMap<>();
        Map<Long, Boolean> concealedAt = new HashMap<>();
        for (int i = 0; i < v.times().size(); i++) {
            double t = v.times().get(i);
            byte[] ref = reference.get(ms(t));
            if (ref == null) {
                continue;
            }
            double db = psnr(pictures.get(ms(t)), ref);
            dbAt.put(ms(t), db);
            boolean decoder = v.decoderFlag().get(i);
            concealedAt.put(ms(t), decoder);
            boolean pixels = within(v.pixelsOnly(), t);
            boolean any = within(v.full(), t);
            trace.append(String.format(
                    Locale.ROOT,
                    "%.2f%s%s%s%s %.0fdB; ",
                    t,
                    v.keyTimes().containsKey(ms(t)) ? "K" : "",
                    decoder ? "D" : "",
                    pixels ? "P" : "",
                    any ? "*" : "",
                    db));
            if (db >= DAMAGED_DB) {
                continue;
            }
            damagedPictures++;
            if (Double.isNaN(firstDamage)) {
                firstDamage = t;
            }
            if (decoder && pixels) {
                both++;
            } else if (decoder) {
                decoderOnly++;
            } else if (pixels) {
                pixelsOnly++;
            } else if (any) {
                carried++;
            }
            if (any) {
                flagged++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "hidden corruption, %s: %d damaged pictures (PSNR < %.0f dB) of %d; flagged %d "
                        + "(%.1f %%): decoder flag only %d, pixels only %d, both %d, carried from earlier damage %d (decoder "
                        + "flags ignored, as on a GPU: the pixels flag %d, first defect at %s, damage from %.2f)%n",
                kind,
                damagedPictures,
                DAMAGED_DB,
                v.times().size(),
                flagged,
                100.0 * flagged / Math.max(1, damagedPictures),
                decoderOnly,
                pixelsOnly,
                both,
                carried,
                pixelsOnly + both,
                v.pixelsOnly().isEmpty() ? "-" : v.pixelsOnly().get(0).start,
                firstDamage);
        assertThat(damagedPictures).as("the noise must damage pictures").isGreaterThan(10);
        // trace: pts, K keyframe, D decoder flag, P pixels alone, * flagged by the detector, PSNR
        assertThat(flagged).as("damaged pictures flagged: %s", trace).isGreaterThanOrEqualTo((int)
                Math.ceil(0.95 * damagedPictures));
        assertThat(pixelsOnly + both)
                .as("damaged pictures the pixels alone find: %s", trace)
                .isGreaterThanOrEqualTo(PIXEL_FLOOR.get(kind));
        // the pixels alone raise a defect in the damage: each one starts at a damaged picture (in the natural clip, a
        // stalled picture the decoder concealed may still measure just over 30 dB)
        assertThat(v.pixelsOnly()).as("defects from the pixels alone").isNotEmpty();
        assertThat(v.pixelsOnly()).allSatisfy(d -> {
            assertThat(d.details).containsEntry("source", "pixels");
            if (kind.equals("natural") && concealedAt.getOrDefault(ms(d.start), false)) {
                return;
            }
            assertThat(dbAt.get(ms(d.start)))
                    .as("PSNR where the pixels raise, %s s", d.start)
                    .isLessThan(DAMAGED_DB);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "hard-h264",
                "hard-mpeg2",
                "test-025.ts",
                "test-026.ts",
                "test-072.ts",
                "test-137.ts",
                "test-151.ts"
            })
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void thePixelsFlagNothingOnCleanContent(String clip) throws Exception {
        Path file = clip.startsWith("hard-") ? hard(clip.substring(5)) : TestMedia.broadcast(clip);
        Verdicts v = decode(file, null);
        if (clip.startsWith("hard-")) {
            assertThat(v.times()).isNotEmpty(); // (test-151's video carries no decodable picture)
        }
        assertThat(v.pixelsOnly())
                .as("pixel damage on clean content in %s", clip)
                .isEmpty();
        if (clip.startsWith("hard-")) {
            assertThat(v.full()).as("corruption on clean content in %s", clip).isEmpty();
            CliRun run = CliRun.of("monitor", "--json", file.toString());
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.ended()).extracting(e -> e.path("type").asText()).doesNotContain("corruption");
        }
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theCommandLineReportsHiddenDamageAndSearchesThePixelsOnTheCpuOnlyWhenAsked() {
        String file = damaged("mpeg2", 20_000).toString();
        // by default the CPU decoder's flags (and the damage carried to the next keyframe) are the detector
        CliRun run = CliRun.of("monitor", "--json", file);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.ended()).extracting(e -> e.path("type").asText()).contains("corruption");
        assertThat(run.ended())
                .filteredOn(e -> e.path("type").asText().equals("corruption"))
                .allSatisfy(e ->
                        assertThat(e.path("details").path("source").asText()).isEqualTo("decoder"));

        CliRun pixels = CliRun.of("monitor", "--json", "--corruption-pixels", file);
        assertThat(pixels.exitCode()).as(pixels.stderr()).isZero();
        assertThat(pixels.ended())
                .filteredOn(e -> e.path("type").asText().equals("corruption"))
                .extracting(e -> e.path("details").path("source").asText())
                .isNotEmpty()
                .allSatisfy(source -> assertThat(source).isIn("decoder", "pixels"));

        CliRun off = CliRun.of("monitor", "--json", "--no-corruption-pixels", file);
        assertThat(off.exitCode()).as(off.stderr()).isZero();
        assertThat(off.ended()).extracting(e -> e.path("type").asText()).contains("corruption");
    }
}
