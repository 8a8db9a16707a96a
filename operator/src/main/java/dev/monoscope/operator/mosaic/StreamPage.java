package dev.monoscope.operator.mosaic;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.v1alpha1.WorkerStatus;
import dev.monoscope.api.worker.Defect;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a stream's page shows: what {@code kubectl describe sm} shows, readable, and the last hour's defects. */
public record StreamPage(
        Tile tile,
        List<Condition> conditions,
        List<WorkerStatus> workers,
        Map<String, Long> defectCounts,
        List<DefectTimeline.Lane> lanes,
        List<EvidenceLink> evidence,
        List<EventLine> events) {

    /** At most this many Events are listed, newest first. */
    static final int EVENTS = 50;

    /** A defect's evidence, fetched through the operator from the worker that wrote it. */
    public record EvidenceLink(String defect, String jpeg, String mp4) {}

    /** One Event as a line of the page. */
    public record EventLine(String time, String type, String reason, String message, int count) {}

    public static StreamPage of(StreamMonitor m, List<Event> events, Instant now) {
        StreamMonitorStatus s = m.getStatus() == null ? new StreamMonitorStatus() : m.getStatus();
        List<EventLine> lines = events.stream()
                .sorted(Comparator.comparing((Event e) -> {
                            Instant t = DefectTimeline.time(e);
                            return t == null ? Instant.EPOCH : t;
                        })
                        .reversed())
                .limit(EVENTS)
                .map(e -> new EventLine(
                        String.valueOf(DefectTimeline.time(e)),
                        e.getType(),
                        e.getReason(),
                        e.getMessage(),
                        e.getCount() == null ? 1 : e.getCount()))
                .toList();
        return new StreamPage(
                Tile.of(m),
                s.conditions,
                s.workers,
                s.defectCounts,
                DefectTimeline.of(events, s.activeDefects, now),
                evidence(m, s),
                lines);
    }

    /** The active defects' and the last defect's evidence, where the worker wrote some. */
    private static List<EvidenceLink> evidence(StreamMonitor m, StreamMonitorStatus s) {
        String base = "/mosaic/evidence/" + m.getMetadata().getNamespace() + "/"
                + m.getMetadata().getName() + "/";
        List<Defect> defects = new ArrayList<>(s.activeDefects == null ? List.of() : s.activeDefects);
        if (s.lastDefect != null && defects.stream().noneMatch(d -> Objects.equals(d.id, s.lastDefect.id))) {
            defects.add(s.lastDefect);
        }
        return defects.stream()
                .filter(d -> d.evidence != null && (d.evidence.jpeg != null || d.evidence.mp4 != null))
                .map(d -> new EvidenceLink(
                        d.type + " from " + d.start + " s",
                        d.evidence.jpeg == null ? null : base + d.evidence.jpeg,
                        d.evidence.mp4 == null ? null : base + d.evidence.mp4))
                .toList();
    }
}
