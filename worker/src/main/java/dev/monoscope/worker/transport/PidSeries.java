package dev.monoscope.worker.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which PIDs get series of their own, in metrics and defects: the first {@value #MAX} to show up, for the analyser's
 * whole life (a series, once made, stays); the others are folded into one series labelled {@value #OTHER}, and
 * counted. A stream of thousands of PIDs (hostile, or in pieces) then costs at most {@value #MAX} + 1 series per check,
 * where it could cost 8,191.
 */
public final class PidSeries {

    /** PIDs with series of their own. */
    public static final int MAX = 64;
    /** The label of the folded PIDs. */
    public static final String OTHER = "other";
    /** What {@link #series(int)} answers for a folded PID. */
    public static final int FOLDED = -2;

    private final boolean[] own = new boolean[TsAnalyzer.PIDS];
    private final boolean[] folded = new boolean[TsAnalyzer.PIDS];
    private int owned;
    private int foldedCount;

    /** The PID itself when it has a series of its own (it gets one while there is room), else {@link #FOLDED}. */
    public synchronized int series(int pid) {
        if (pid < 0 || own[pid]) {
            return pid;
        }
        if (owned < MAX) {
            own[pid] = true;
            owned++;
            return pid;
        }
        if (!folded[pid]) {
            folded[pid] = true;
            foldedCount++;
        }
        return FOLDED;
    }

    /** The PID's label in metrics and defects. */
    public static String label(int series) {
        return series == FOLDED ? OTHER : Integer.toString(series);
    }

    /** Distinct PIDs folded into {@value #OTHER} so far. */
    public synchronized int foldedCount() {
        return foldedCount;
    }

    /** Whether a PID was folded. */
    public synchronized boolean isFolded(int pid) {
        return pid >= 0 && folded[pid];
    }

    /**
     * A summary's {@code pids} map cut to the {@value #MAX} PIDs with the most packets; the rest summed into one
     * {@value #OTHER} entry, with {@code foldedPids} saying how many it holds.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> foldSummary(Map<String, Object> summary) {
        if (summary == null || !(summary.get("pids") instanceof Map<?, ?> pids) || pids.size() <= MAX) {
            return summary;
        }
        Map<String, Object> perPid = (Map<String, Object>) pids;
        Map<String, Object> kept = new LinkedHashMap<>();
        perPid.entrySet().stream()
                .sorted((a, b) -> Long.compare(packets(b.getValue()), packets(a.getValue())))
                .limit(MAX)
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        Map<String, Object> other = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : perPid.entrySet()) {
            if (!kept.containsKey(e.getKey())) {
                ((Map<String, Object>) e.getValue())
                        .forEach((k, v) ->
                                other.merge(k, v, (x, y) -> ((Number) x).longValue() + ((Number) y).longValue()));
            }
        }
        Map<String, Object> sorted = new LinkedHashMap<>();
        perPid.keySet().stream().filter(kept::containsKey).forEach(k -> sorted.put(k, kept.get(k)));
        sorted.put(OTHER, other);
        Map<String, Object> out = new LinkedHashMap<>(summary);
        out.put("pids", sorted);
        out.put("foldedPids", perPid.size() - MAX);
        return out;
    }

    private static long packets(Object figures) {
        return figures instanceof Map<?, ?> m && m.get("packets") instanceof Number n ? n.longValue() : 0;
    }
}
