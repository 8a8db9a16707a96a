package dev.monoscope.operator.mosaic;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The last hour's defects of one stream as one lane per defect type: from the defect Events the operator wrote (a
 * Warning when a defect starts, a Normal when it ends, both naming the worker and the defect) and the status's active
 * defects, which may not have their Event yet.
 */
public final class DefectTimeline {

    static final Duration SPAN = Duration.ofHours(1);

    private static final Pattern IDENTITY = Pattern.compile("\\(worker ([^,]+), defect (\\d+)\\)");
    private static final Set<String> REASONS = java.util.Arrays.stream(DefectType.values())
            .map(DefectType::eventReason)
            .collect(Collectors.toSet());

    /** One defect on its lane, as percentages of the hour, with a text for those who cannot see the bar. */
    public record Segment(double left, double width, String text) {}

    /** One defect type's lane. */
    public record Lane(String type, List<Segment> segments) {}

    private DefectTimeline() {}

    public static List<Lane> of(List<Event> events, List<Defect> active, Instant now) {
        Instant from = now.minus(SPAN);
        Map<String, Instant[]> spans = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        for (Event e : events) {
            Matcher m = e.getMessage() == null ? null : IDENTITY.matcher(e.getMessage());
            Instant at = time(e);
            if (m == null || !m.find() || at == null || !REASONS.contains(e.getReason())) {
                continue;
            }
            String key = m.group(1) + "/" + m.group(2);
            types.put(key, e.getMessage().split(" ", 2)[0]);
            Instant[] span = spans.computeIfAbsent(key, k -> new Instant[2]);
            span["Warning".equals(e.getType()) ? 0 : 1] = at;
        }
        for (Defect d : active) {
            String key = d.instanceId + "/" + d.id;
            types.putIfAbsent(key, d.type);
            Instant[] span = spans.computeIfAbsent(key, k -> new Instant[2]);
            span[0] = span[0] != null ? span[0] : parse(d.startedAt);
            span[1] = now; // active: until now
        }
        Map<String, List<Segment>> lanes = new TreeMap<>();
        spans.forEach((key, span) -> {
            Instant start = span[0] != null ? span[0] : span[1];
            Instant end = span[1] != null ? span[1] : now;
            if (start == null || end.isBefore(from)) {
                return;
            }
            double left = percent(Duration.between(from, start.isBefore(from) ? from : start));
            double width = Math.max(0.3, percent(Duration.between(start.isBefore(from) ? from : start, end)));
            String text = String.format(
                    Locale.ROOT,
                    "%s from %s, %d s",
                    types.get(key),
                    start,
                    Duration.between(start, end).toSeconds());
            lanes.computeIfAbsent(types.get(key), t -> new ArrayList<>())
                    .add(new Segment(left, Math.min(width, 100 - left), text));
        });
        return lanes.entrySet().stream()
                .map(e -> new Lane(e.getKey(), e.getValue()))
                .toList();
    }

    private static double percent(Duration d) {
        return Math.round(1000.0 * d.toMillis() / SPAN.toMillis()) / 10.0;
    }

    /** When an Event happened: its first timestamp (a defect's Events are written once). */
    static Instant time(Event e) {
        Instant at = parse(e.getFirstTimestamp());
        if (at == null && e.getEventTime() != null) {
            at = parse(e.getEventTime().getTime());
        }
        return at != null
                ? at
                : parse(e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp());
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
