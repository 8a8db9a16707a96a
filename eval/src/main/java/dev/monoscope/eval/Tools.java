package dev.monoscope.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tools under evaluation, each run on a clip as its users run it: {@code bin/monoscope monitor --json} (its
 * defect_started/defect_ended events), and FFmpeg's own detection filters with pinned settings as the baseline.
 */
final class Tools {

    /** EBU R128's target range, as the loudness detector's defaults: -23 LUFS -10/+5 LU; silence below -70 ignored. */
    static final double LOUD_LOW = -33;

    static final double LOUD_HIGH = -18;
    static final double LOUD_GATE = -70;
    static final double LOUD_MIN_SECONDS = 5;

    /** CPU seconds each tool spent (its own figure: monoscope's summary, ffmpeg's -benchmark). */
    static final Map<String, DoubleAdder> CPU_SECONDS = new ConcurrentHashMap<>();
    /** Monoscope runs that ended without a summary or were killed at their deadline. */
    static final List<String> UNFINISHED = new CopyOnWriteArrayList<>();

    private Tools() {}

    /** Where {@link #monoscope} writes what Monoscope printed on stderr, beside its {@code log}. */
    static Path stderrOf(Path log) {
        return log.resolveSibling(log.getFileName() + ".err");
    }

    /** What {@code bin/monoscope monitor --json} reports on the clip; a defect still open at the end ends there. */
    static List<Truth> monoscope(Path clip, double duration, Path log) {
        Path root = Path.of(System.getProperty("monoscope.root", ".."))
                .toAbsolutePath()
                .normalize();
        ProcessBuilder pb = new ProcessBuilder(
                        root.resolve("bin/monoscope").toString(), "monitor", "--json", clip.toString())
                .redirectOutput(log.toFile())
                .redirectError(stderrOf(log).toFile());
        int status = Processes.run(pb, (long) (120 + 4 * duration));
        Map<Long, JsonNode> open = new HashMap<>();
        List<Truth> found = new ArrayList<>();
        double end = 0;
        boolean summary = false;
        try {
            for (String line : Files.readAllLines(log)) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode e = ClipMaker.JSON.readTree(line);
                switch (e.path("event").asText()) {
                    case "defect_started" -> open.put(e.path("id").asLong(), e);
                    case "defect_ended" -> {
                        open.remove(e.path("id").asLong());
                        double start = e.path("start").asDouble();
                        JsonNode offset = e.path("details").path("offsetMs");
                        found.add(new Truth(
                                e.path("type").asText(),
                                start,
                                e.path("end").asDouble(start),
                                offset.isNumber() ? offset.asDouble() : Double.NaN));
                    }
                    case "summary" -> {
                        end = e.path("durationSec").asDouble();
                        summary = true;
                        cpu(Evaluation.MONOSCOPE, e.path("cpuSeconds").asDouble());
                    }
                    default -> {}
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
        if (!summary || status == Processes.TIMED_OUT) {
            UNFINISHED.add(Corpus.dir().relativize(clip)
                    + (status == Processes.TIMED_OUT
                            ? " (killed at its deadline)"
                            : " (exit " + status + ", no summary)"));
        }
        for (JsonNode e : open.values()) {
            found.add(new Truth(
                    e.path("type").asText(),
                    e.path("start").asDouble(),
                    Math.max(end, e.path("start").asDouble())));
        }
        return found;
    }

    private static final Pattern BLACK = Pattern.compile("black_start:(-?[\\d.]+) black_end:(-?[\\d.]+)");
    private static final Pattern FREEZE_START = Pattern.compile("lavfi\\.freezedetect\\.freeze_start: (-?[\\d.]+)");
    private static final Pattern FREEZE_END = Pattern.compile("lavfi\\.freezedetect\\.freeze_end: (-?[\\d.]+)");
    private static final Pattern SILENCE_START = Pattern.compile("silence_start: (-?[\\d.]+)");
    private static final Pattern SILENCE_END = Pattern.compile("silence_end: (-?[\\d.]+)");
    private static final Pattern BENCH = Pattern.compile("bench: utime=([\\d.]+)s stime=([\\d.]+)s");
    /** Each 100 ms block of {@code ebur128=metadata=1}, printed by {@code ametadata}: where it starts, then its S. */
    private static final Pattern EBUR128_BLOCK = Pattern.compile("Parsed_ametadata.* pts_time:(-?[\\d.]+)");

    private static final Pattern EBUR128_SHORT_TERM = Pattern.compile("lavfi\\.r128\\.S=(-?[\\d.]+|-inf|nan)");

    /**
     * FFmpeg's filters on the first video and audio streams, in one decode: {@code blackdetect=d=2},
     * {@code freezedetect=d=2} (default noise -60 dB), {@code silencedetect=n=-60dB:d=2}, and {@code ebur128} with
     * the rule "short-term loudness outside the target range for 5 s or more" (its values unrounded).
     */
    static List<Truth> ffmpeg(Path clip, double duration, Path log) {
        runFilters(clip, log);
        return readFilters(log, duration);
    }

    /** What the filters of {@link #ffmpeg} printed into {@code log}, as defects on the media clock. */
    static List<Truth> readFilters(Path log, double duration) {
        List<Truth> found = new ArrayList<>();
        Double freezeStart = null;
        Double silenceStart = null;
        Double loudStart = null;
        double blockStart = 0;
        double lastT = 0;
        try {
            for (String line : Files.readAllLines(log)) {
                Matcher m;
                if ((m = BENCH.matcher(line)).find()) {
                    cpu(Evaluation.FFMPEG, d(m.group(1)) + d(m.group(2)));
                } else if ((m = BLACK.matcher(line)).find()) {
                    found.add(new Truth(Injected.BLACK, d(m.group(1)), d(m.group(2))));
                } else if ((m = FREEZE_START.matcher(line)).find()) {
                    freezeStart = d(m.group(1));
                } else if ((m = FREEZE_END.matcher(line)).find() && freezeStart != null) {
                    found.add(new Truth(Injected.FREEZE, freezeStart, d(m.group(1))));
                    freezeStart = null;
                } else if ((m = SILENCE_START.matcher(line)).find()) {
                    silenceStart = d(m.group(1));
                } else if ((m = SILENCE_END.matcher(line)).find() && silenceStart != null) {
                    found.add(new Truth(Injected.SILENCE, silenceStart, d(m.group(1))));
                    silenceStart = null;
                } else if ((m = EBUR128_BLOCK.matcher(line)).find()) {
                    blockStart = d(m.group(1));
                } else if ((m = EBUR128_SHORT_TERM.matcher(line)).find()) {
                    double s = m.group(1).matches("-?[\\d.]+") ? d(m.group(1)) : Double.NEGATIVE_INFINITY;
                    boolean outside = s > LOUD_GATE && (s < LOUD_LOW || s > LOUD_HIGH);
                    // a change is dated from the start of the 100 ms block it came in
                    if (outside && loudStart == null) {
                        loudStart = blockStart;
                    } else if (!outside && loudStart != null) {
                        addLoudness(found, loudStart, blockStart);
                        loudStart = null;
                    }
                    lastT = blockStart + 0.1;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
        if (freezeStart != null) {
            found.add(new Truth(Injected.FREEZE, freezeStart, duration));
        }
        if (silenceStart != null) {
            found.add(new Truth(Injected.SILENCE, silenceStart, duration));
        }
        if (loudStart != null) {
            addLoudness(found, loudStart, lastT);
        }
        return found;
    }

    /** One decode of the clip through FFmpeg's detection filters; what they print goes to {@code log}. */
    private static void runFilters(Path clip, Path log) {
        // ebur128's own log rounds S to 0.1 LU (a passage ending at -17.96 would print -18.0, back inside): its values
        // are read at full precision from the frames' metadata instead
        String filters = "[0:v:0]blackdetect=d=2,freezedetect=d=2[vo];"
                + "[0:a:0]silencedetect=n=-60dB:d=2,ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.S[ao]";
        Ffmpeg.run(
                "ffmpeg",
                List.of(
                        "-nostats",
                        "-loglevel",
                        "info",
                        "-i",
                        clip.toString(),
                        "-filter_complex",
                        filters,
                        "-map",
                        "[vo]",
                        "-map",
                        "[ao]",
                        "-f",
                        "null",
                        "-"),
                log,
                false,
                1800);
    }

    private static void addLoudness(List<Truth> found, double start, double end) {
        if (end - start >= LOUD_MIN_SECONDS) {
            found.add(new Truth(Injected.LOUDNESS, start, end));
        }
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    private static void cpu(String tool, double seconds) {
        CPU_SECONDS.computeIfAbsent(tool, t -> new DoubleAdder()).add(seconds);
    }
}
