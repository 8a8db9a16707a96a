package dev.monoscope.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes (or finds cached) the clips of some recipes, runs the tools on them two at a time, and scores them. */
final class Evaluation {

    static final String MONOSCOPE = "monoscope";
    static final String FFMPEG = "ffmpeg";
    /** The types FFmpeg's filters report (blackdetect, freezedetect, silencedetect, ebur128 with the 5 s rule). */
    static final List<String> FFMPEG_TYPES =
            List.of(Injected.BLACK, Injected.FREEZE, Injected.SILENCE, Injected.LOUDNESS);

    /** Tool runs at a time: the evaluation's time is measured at this. */
    static final int PARALLEL = 2;
    /** Clips made at a time (niced): encoders wait on each other less than the tools do. */
    static final int MAKING = 3;

    private Evaluation() {}

    /** The clips' labels, made where the cache lacks them. */
    static List<ClipMaker.Label> make(List<Recipe> recipes) {
        AtomicInteger done = new AtomicInteger();
        List<Task<ClipMaker.Label>> tasks = recipes.stream()
                .map(r -> (Task<ClipMaker.Label>) () -> {
                    ClipMaker.Label label = ClipMaker.make(r);
                    System.out.printf("eval: %d/%d %s%n", done.incrementAndGet(), recipes.size(), r.name());
                    return label;
                })
                .toList();
        return parallel(tasks, MAKING);
    }

    /** Every tool on every clip; per set, the scores. */
    static Map<String, Scoring.SetScore> evaluate(List<ClipMaker.Label> labels, List<String> tools) {
        Path runs = Corpus.dir().resolveSibling("runs");
        try {
            Files.createDirectories(runs);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Task<List<Truth>>> tasks = new ArrayList<>();
        for (ClipMaker.Label label : labels) {
            Path clip = Corpus.dir().resolve(label.recipe().file());
            for (String tool : tools) {
                Path log = runs.resolve(label.recipe().name() + "." + tool + ".log");
                tasks.add(() -> tool.equals(MONOSCOPE)
                        ? Tools.monoscope(clip, label.duration(), log)
                        : Tools.ffmpeg(clip, label.duration(), log));
            }
        }
        List<List<Truth>> reported = parallel(tasks, PARALLEL);
        Map<String, Scoring.SetScore> sets = new TreeMap<>(
                Comparator.comparing((String set) -> !set.equals("tuning")).thenComparing(set -> set));
        int i = 0;
        for (ClipMaker.Label made : labels) {
            ClipMaker.Label label = DamageTruth.endAtKeyframes(
                    made, Corpus.dir().resolve(made.recipe().file()));
            Scoring.SetScore score = sets.computeIfAbsent(label.recipe().set(), s -> new Scoring.SetScore());
            Scoring.addClip(score, label);
            for (String tool : tools) {
                Scoring.score(score, tool, tool.equals(FFMPEG) ? FFMPEG_TYPES : null, label, reported.get(i++));
            }
        }
        return sets;
    }

    interface Task<T> {
        T call() throws Exception;
    }

    private static <T> List<T> parallel(List<Task<T>> tasks, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Task<T> t : tasks) {
                futures.add(pool.submit(t::call));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
