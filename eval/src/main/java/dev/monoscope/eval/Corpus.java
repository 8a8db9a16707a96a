package dev.monoscope.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The labelled corpus: a tuning set and a test set drawn from fixed seeds, and the small slice {@code make test}
 * runs. The test set holds out whole cells the tuning set never contains: a content source ({@code mandelbrot}),
 * a codec × bit-rate cell ({@code hevc-starved}) and a real capture ({@code test-025.ts}). The seeds below are fixed
 * once and for all: changing them would let the test set leak into tuning. An unseen set ({@link #unseen}) is drawn
 * like the test set from seeds of the caller's choosing: clips nobody has looked at, not even the test set's reader.
 */
final class Corpus {

    static final long TUNING_SEED = 503_000;
    static final long TEST_SEED = 1_207_000;
    static final long SLICE_SEED = 77_000;
    /** How many seeds from its base a set draws: its defect clips from base, A/V clips from +300, negatives +600. */
    static final long SEEDS_PER_SET = 1000;

    static final String HELD_OUT_SOURCE = "mandelbrot";
    static final String HELD_OUT_CELL = "hevc-starved";
    static final String HELD_OUT_CAPTURE = "capture:test-025.ts";

    private static final List<String> TIERS = List.of("starved", "low", "mid", "high");
    private static final List<String> CODECS = List.of("h264", "h264", "hevc", "mpeg2");
    private static final double[] GOPS = {0.5, 1, 2, 4, 10};

    private Corpus() {}

    /** Where clips and labels are cached. */
    static Path dir() {
        return Path.of(System.getProperty("eval.dir", "target/eval"))
                .resolve("corpus")
                .toAbsolutePath();
    }

    /**
     * The recipes of a set ({@code tuning} or {@code test}) at a size: {@code default} (at least 50 of each defect
     * type in the test set, 30 min of hard negatives), {@code large} (three times as many), {@code small} (a quick
     * look: a quarter of the test set's defects, one hard negative of each kind).
     */
    static List<Recipe> set(String set, String size) {
        boolean test = set.equals("test");
        return draw(set, set, test ? TEST_SEED : TUNING_SEED, size);
    }

    /**
     * A set shaped like the test set at a size (the held-out cells included) but drawn from {@code seed} on: named
     * {@code unseen-SEED-…}, so sets from different seeds share no clip. Refused where its seeds would be the tuning or
     * the test set's own.
     */
    static List<Recipe> unseen(long seed, String size) {
        for (long fixed : new long[] {TUNING_SEED, TEST_SEED}) {
            if (seed > fixed - SEEDS_PER_SET && seed < fixed + SEEDS_PER_SET) {
                throw new IllegalArgumentException(String.format(
                        "EVAL_SEED=%d draws seeds the tuning or test set uses (%d..%d, %d..%d): choose another",
                        seed, TUNING_SEED, TUNING_SEED + SEEDS_PER_SET - 1, TEST_SEED, TEST_SEED + SEEDS_PER_SET - 1));
            }
        }
        return draw("unseen", "unseen-" + seed, seed, size);
    }

    /** The recipes of set {@code set}, their names starting with {@code prefix}, from seed {@code base} on. */
    private static List<Recipe> draw(String set, String prefix, long base, String size) {
        boolean test = !set.equals("tuning");
        List<Recipe> recipes = new ArrayList<>();
        // each size's clips begin with the smaller sizes' (same seeds), so a cache serves every size
        int[] counts = switch (size) {
            case "small" -> test ? new int[] {6, 4, 10} : new int[] {3, 1, 4};
            case "large" -> test ? new int[] {78, 51, 72} : new int[] {24, 12, 48};
            default -> test ? new int[] {26, 17, 24} : new int[] {8, 4, 16};
        };
        int defects = counts[0];
        int sync = counts[1];
        int negatives = counts[2];
        for (int i = 0; i < defects; i++) {
            recipes.add(recipe(set, prefix, "defects", i, base + i));
        }
        for (int i = 0; i < sync; i++) {
            recipes.add(recipe(set, prefix, "sync", i, base + 300 + i));
        }
        for (int i = 0; i < negatives; i++) {
            recipes.add(recipe(set, prefix, Scenes.NEGATIVES.get(i % Scenes.NEGATIVES.size()), i, base + 600 + i));
        }
        return recipes;
    }

    /** The slice {@code make test} runs: a clean encode, a starved grainy one, an HEVC one, five hard negatives. */
    static List<Recipe> slice() {
        return List.of(
                fixed("slice-h264-clean", "defects", "testsrc2", "h264", "mid", "none", 2, SLICE_SEED + 1),
                fixed("slice-h264-starved-grain", "defects", "cellauto", "h264", "starved", "pre", 2, SLICE_SEED + 2),
                fixed("slice-box", "box", "testsrc2", "h264", "mid", "none", 2, SLICE_SEED + 3),
                fixed("slice-fades", "fades", "cellauto", "h264", "mid", "none", 2, SLICE_SEED + 4),
                fixed("slice-dark", "dark", "testsrc2", "h264", "mid", "none", 2, SLICE_SEED + 5),
                fixed("slice-zoom", "zoom", "capture:test-072.ts", "h264", "mid", "none", 2, SLICE_SEED + 6),
                fixed("slice-cuts", "cuts", "testsrc2", "h264", "mid", "none", 2, SLICE_SEED + 7),
                fixed("slice-hevc-low", "defects", "gradients", "hevc", "low", "none", 2, SLICE_SEED + 8));
    }

    private static Recipe fixed(
            String name, String scene, String source, String codec, String tier, String grain, double gop, long seed) {
        Random rnd = new Random(seed);
        Recipe shape =
                new Recipe(name, "slice", scene, source, codec, tier, 540, 25, gop, grain, "ts", 30, seed, List.of());
        return scheduled(shape, rnd, true);
    }

    private static Recipe recipe(String set, String prefix, String scene, int i, long seed) {
        Random rnd = new Random(seed);
        boolean test = !set.equals("tuning"); // the test set and unseen sets hold the held-out cells too
        List<String> sources = new ArrayList<>(
                List.of("testsrc2", "cellauto", "gradients", "capture:test-072.ts", "capture:test-137.ts"));
        String source = sources.get(rnd.nextInt(sources.size()));
        String codec = CODECS.get(rnd.nextInt(CODECS.size()));
        String tier = TIERS.get(rnd.nextInt(TIERS.size()));
        if (codec.equals("hevc") && tier.equals("starved")) {
            tier = "low"; // the held-out cell
        }
        if (test && i % 6 == 0) {
            source = HELD_OUT_SOURCE;
        } else if (test && i % 6 == 3) {
            source = HELD_OUT_CAPTURE;
        }
        if (test && i % 5 == 2) {
            codec = "hevc";
            tier = "starved";
        }
        double pick = rnd.nextDouble();
        int height = pick < 0.75 ? 540 : pick < 0.97 ? 720 : 1080;
        pick = rnd.nextDouble();
        int fps = source.startsWith("capture:") || pick < 0.8 ? 25 : pick < 0.92 ? 30 : 50;
        double gop = GOPS[rnd.nextInt(GOPS.length)];
        pick = rnd.nextDouble();
        String grain = pick < 0.5 ? "none" : pick < 0.8 ? "pre" : "post";
        pick = rnd.nextDouble();
        String container = codec.equals("mpeg2") || pick < 0.6 ? "ts" : pick < 0.85 ? "mp4" : "hls";
        String name = String.format("%s-%s-%02d-%s-%s-%dp", prefix, scene, i, codec, tier, height);
        Recipe shape = new Recipe(
                name, set, scene, source, codec, tier, height, fps, gop, grain, container, 45, seed, List.of());
        return scheduled(shape, rnd, false);
    }

    /** The recipe with its defects placed at seeded-random times, and its duration fitted to them. */
    private static Recipe scheduled(Recipe r, Random rnd, boolean small) {
        List<Injected> defects = new ArrayList<>();
        double duration = r.duration();
        if (r.scene().equals("defects")) {
            int each = small ? 1 : 2;
            double video = Schedule.video(r, rnd, each, defects);
            double audio = Schedule.audio(rnd, each, defects);
            duration = Math.ceil(Math.max(video, audio)) + 1;
        } else if (r.scene().equals("sync")) {
            duration = Schedule.avOffsets(rnd, small ? 1 : 3, defects) + 1;
        }
        Collections.sort(defects, (a, b) -> Double.compare(a.start(), b.start()));
        return new Recipe(
                r.name(),
                r.set(),
                r.scene(),
                r.source(),
                r.codec(),
                r.tier(),
                r.height(),
                r.fps(),
                r.gop(),
                r.grain(),
                r.container(),
                duration,
                r.seed(),
                List.copyOf(defects));
    }
}
