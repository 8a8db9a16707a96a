package dev.monoscope.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The bench's timing arithmetic: how long each StreamMonitor spent between two moments, summarised. */
final class Phases {

    private Phases() {}

    /** Seconds from {@code from} to {@code to} for each key in both, sorted. */
    static List<Double> between(Map<String, Instant> from, Map<String, Instant> to) {
        return from.entrySet().stream()
                .filter(e -> to.containsKey(e.getKey()))
                .map(e -> Duration.between(e.getValue(), to.get(e.getKey())).toMillis() / 1000.0)
                .sorted()
                .toList();
    }

    /** "median / p95 / max (n)". */
    static String summary(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return "none";
        }
        return String.format(
                "%.1f / %.1f / %.1f (%d)",
                sorted.get(sorted.size() / 2),
                sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.95) - 1)),
                sorted.get(sorted.size() - 1),
                sorted.size());
    }

    /** How many moments fall in each {@code bucket} after {@code start}: "0-5 s: 12, 5-10 s: 80, …". */
    static String histogram(Instant start, Collection<Instant> moments, Duration bucket) {
        Map<Long, Integer> counts = new TreeMap<>();
        for (Instant m : moments) {
            counts.merge(Duration.between(start, m).toMillis() / bucket.toMillis(), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        long step = bucket.toSeconds();
        counts.forEach((b, n) -> out.append(out.isEmpty() ? "" : ", ")
                .append(b * step)
                .append('-')
                .append((b + 1) * step)
                .append(" s: ")
                .append(n));
        return out.toString();
    }
}
