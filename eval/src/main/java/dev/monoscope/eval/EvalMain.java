package dev.monoscope.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make eval}: makes the corpus (cached), runs Monoscope and FFmpeg's baseline filters on every clip, and
 * writes {@code target/eval/report.md} and {@code report.json}. {@code EVAL_SIZE=large} for three times the clips;
 * {@code EVAL_SEED=N} for an unseen set drawn from seed N instead of the tuning and test sets.
 */
public final class EvalMain {

    private EvalMain() {}

    public static void main(String[] args) throws Exception {
        String size = System.getProperty("eval.size", "default");
        List<Recipe> recipes = new ArrayList<>();
        String seed = System.getProperty("eval.seed", "");
        if (size.equals("slice")) {
            recipes.addAll(Corpus.slice()); // the few clips make test runs
        } else if (!seed.isBlank()) {
            recipes.addAll(Corpus.unseen(seed(seed), size)); // clips nobody has looked at
        } else {
            // the test set first: its clips are made (once) before the tuning set's; -Deval.set=tuning while tuning
            String only = System.getProperty("eval.set", "");
            for (String set : List.of("test", "tuning")) {
                if (only.isEmpty() || only.equals(set)) {
                    recipes.addAll(Corpus.set(set, size));
                }
            }
        }
        long t0 = System.nanoTime();
        System.out.printf(
                "eval: %d clips (%s set); making the missing ones under %s%n", recipes.size(), size, Corpus.dir());
        List<ClipMaker.Label> labels = Evaluation.make(recipes);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "eval: corpus ready in %.0f s%n", (t1 - t0) / 1e9);
        if (Boolean.getBoolean("eval.corpusOnly")) {
            return; // clips made ahead, e.g. to warm a cache: nothing is evaluated
        }
        System.out.println("eval: running monoscope and ffmpeg");
        Map<String, Scoring.SetScore> sets =
                Evaluation.evaluate(labels, List.of(Evaluation.MONOSCOPE, Evaluation.FFMPEG));
        long t2 = System.nanoTime();
        String header = header(size, recipes.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        String md = Report.markdown(sets, header);
        ObjectNode meta = ClipMaker.JSON.createObjectNode();
        meta.put("size", size);
        meta.put("clips", recipes.size());
        meta.put("corpusSeconds", (t1 - t0) / 1e9);
        meta.put("evaluationSeconds", (t2 - t1) / 1e9);
        Tools.CPU_SECONDS.forEach((tool, seconds) -> meta.put(tool + "CpuSeconds", seconds.sum()));
        Tools.UNFINISHED.forEach(meta.putArray("monoscopeUnfinished")::add);
        Path out = Corpus.dir().getParent();
        Files.writeString(out.resolve("report.md"), md);
        Files.writeString(
                out.resolve("report.json"),
                ClipMaker.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Report.json(sets, meta)));
        System.out.println(md);
        System.out.println("eval: " + out.resolve("report.md") + ", " + out.resolve("report.json"));
    }

    private static long seed(String given) {
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("EVAL_SEED must be a whole number, not '" + given + "'", e);
        }
    }

    /** The report's opening: what ran, how long it took, what the tuning set never sees, the FFmpeg settings. */
    private static String header(String size, int clips, double corpusSeconds, double evaluationSeconds) {
        String header = String.format(
                Locale.ROOT,
                "`make eval` (EVAL_SIZE=%s), %d clips: corpus %.0f s (0 when cached), evaluation %.0f s, %d at a time."
                        + " Held out of tuning: source `%s`, cell `%s`, capture `%s`. FFmpeg rows: blackdetect d=2,"
                        + " freezedetect d=2, silencedetect n=-60dB d=2, ebur128 short-term (unrounded) outside"
                        + " [%.0f, %.0f] LUFS for ≥ %.0f s.%n",
                size,
                clips,
                corpusSeconds,
                evaluationSeconds,
                Evaluation.PARALLEL,
                Corpus.HELD_OUT_SOURCE,
                Corpus.HELD_OUT_CELL,
                Corpus.HELD_OUT_CAPTURE,
                Tools.LOUD_LOW,
                Tools.LOUD_HIGH,
                Tools.LOUD_MIN_SECONDS);
        double cpu =
                Tools.CPU_SECONDS.values().stream().mapToDouble(a -> a.sum()).sum();
        header += String.format(
                Locale.ROOT,
                "Evaluation CPU time (the tools' own figures): %.0f s, i.e. %.1f min on 2 idle cores.%n",
                cpu,
                cpu / 120);
        if (!Tools.UNFINISHED.isEmpty()) {
            header += "\nMonoscope runs that did not end normally: " + String.join(", ", Tools.UNFINISHED) + "\n";
        }
        return header;
    }
}
