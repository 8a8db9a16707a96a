package dev.monoscope.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code report.md} and {@code report.json}: per set, per type, each tool's recall, false alarms and errors. */
final class Report {

    private Report() {}

    static String markdown(Map<String, Scoring.SetScore> sets, String header) {
        StringBuilder md =
                new StringBuilder("# Accuracy evaluation\n\n").append(header).append("\n");
        for (Map.Entry<String, Scoring.SetScore> e : sets.entrySet()) {
            Scoring.SetScore s = e.getValue();
            md.append(String.format(
                    Locale.ROOT,
                    "\n## %s set: %d clips, %.1f min, %.1f min clean (%.1f min of hard negatives)\n\n",
                    e.getKey(),
                    s.clips,
                    s.seconds / 60,
                    s.cleanSeconds / 60,
                    s.negativeSeconds / 60));
            md.append(table(s));
            md.append(offsets(s));
        }
        Scoring.SetScore tuning = sets.get("tuning");
        Scoring.SetScore test = sets.get("test");
        if (tuning != null && test != null) { // not for an unseen set alone
            md.append("\n## Side by side: recall and false alarms per hour, tuning → test\n\n");
            md.append("| type | tool | recall tuning | recall test | FA/h tuning | FA/h test |\n");
            md.append("| --- | --- | --- | --- | --- | --- |\n");
            for (String tool : test.rows.keySet()) {
                for (String type : test.rows.get(tool).keySet()) {
                    Scoring.Row a = tuning.row(tool, type);
                    Scoring.Row b = test.row(tool, type);
                    md.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %.1f | %.1f |\n",
                            type,
                            tool,
                            recall(a),
                            recall(b),
                            perHour(a.falseAlarms, tuning.cleanSeconds),
                            perHour(b.falseAlarms, test.cleanSeconds)));
                }
            }
        }
        return md.toString();
    }

    static String table(Scoring.SetScore s) {
        StringBuilder md = new StringBuilder(
                "| type | tool | found / truths (missed) | recall | false alarms | FA/h clean | FA on hard negatives |"
                        + " Δstart median / p95 / max (s) | Δend median / p95 / max (s) |\n"
                        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String type : types(s)) {
            for (String tool : s.rows.keySet()) {
                Scoring.Row r = s.rows.get(tool).get(type);
                if (r == null) {
                    continue;
                }
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %d / %d (%d) | %s | %d | %.1f | %d | %s | %s |\n",
                        type,
                        tool,
                        r.found,
                        r.truths,
                        r.truths - r.found,
                        recall(r),
                        r.falseAlarms,
                        perHour(r.falseAlarms, s.cleanSeconds),
                        r.falseAlarmsOnNegatives,
                        errors(r.startErrors),
                        errors(r.endErrors)));
            }
        }
        return md.toString();
    }

    /** Each tool's A/V offset errors on the matched windows, under the table; empty when none was measured. */
    static String offsets(Scoring.SetScore s) {
        StringBuilder md = new StringBuilder();
        s.rows.forEach((tool, byType) -> {
            Scoring.Row r = byType.get(Injected.AV_OFFSET);
            if (r != null && !r.offsetErrors.isEmpty()) {
                md.append(String.format(
                        Locale.ROOT,
                        "\nA/V offset measured by %s in %d matched windows, against the offset the clip plays there:"
                                + " |error| median / p95 / max %.0f / %.0f / %.0f ms.\n",
                        tool,
                        r.offsetErrors.size(),
                        Scoring.quantile(r.offsetErrors, 0.5),
                        Scoring.quantile(r.offsetErrors, 0.95),
                        Scoring.quantile(r.offsetErrors, 1)));
            }
        });
        return md.toString();
    }

    static ObjectNode json(Map<String, Scoring.SetScore> sets, ObjectNode meta) {
        ObjectNode root = ClipMaker.JSON.createObjectNode();
        root.set("run", meta);
        ObjectNode out = root.putObject("sets");
        sets.forEach((name, s) -> {
            ObjectNode set = out.putObject(name);
            set.put("clips", s.clips);
            set.put("seconds", s.seconds);
            set.put("cleanSeconds", s.cleanSeconds);
            set.put("hardNegativeSeconds", s.negativeSeconds);
            ArrayNode rows = set.putArray("rows");
            s.rows.forEach((tool, byType) -> byType.forEach((type, r) -> {
                ObjectNode o = rows.addObject();
                o.put("type", type);
                o.put("tool", tool);
                o.put("truths", r.truths);
                o.put("found", r.found);
                o.put("recallPercent", r.recall());
                o.put("falseAlarms", r.falseAlarms);
                o.put("falseAlarmsPerHourClean", perHour(r.falseAlarms, s.cleanSeconds));
                o.put("falseAlarmsOnHardNegatives", r.falseAlarmsOnNegatives);
                for (String k : List.of("start", "end")) {
                    List<Double> e = k.equals("start") ? r.startErrors : r.endErrors;
                    o.put(k + "ErrorMedian", Scoring.quantile(e, 0.5));
                    o.put(k + "ErrorP95", Scoring.quantile(e, 0.95));
                    o.put(k + "ErrorMax", Scoring.quantile(e, 1));
                }
                if (!r.offsetErrors.isEmpty()) {
                    o.put("offsetErrorMsMedian", Scoring.quantile(r.offsetErrors, 0.5));
                    o.put("offsetErrorMsP95", Scoring.quantile(r.offsetErrors, 0.95));
                    o.put("offsetErrorMsMax", Scoring.quantile(r.offsetErrors, 1));
                }
                ArrayNode missed = o.putArray("missed");
                r.missed.forEach(missed::add);
            }));
        });
        return root;
    }

    /** Injected types first, in report order, then any other type a tool raised. */
    private static List<String> types(Scoring.SetScore s) {
        java.util.LinkedHashSet<String> types = new java.util.LinkedHashSet<>(Injected.TYPES);
        s.rows.values().forEach(m -> types.addAll(m.keySet()));
        return List.copyOf(types);
    }

    private static String recall(Scoring.Row r) {
        return r.truths == 0 ? "—" : String.format(Locale.ROOT, "%.1f %%", r.recall());
    }

    private static String errors(List<Double> e) {
        if (e.isEmpty()) {
            return "—";
        }
        return String.format(
                Locale.ROOT,
                "%.2f / %.2f / %.2f",
                Scoring.quantile(e, 0.5),
                Scoring.quantile(e, 0.95),
                Scoring.quantile(e, 1));
    }

    static double perHour(int count, double seconds) {
        return seconds <= 0 ? 0 : count * 3600.0 / seconds;
    }
}
