package dev.monoscope.operator.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.DefectReason;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.status.StatusText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A worker's report cut to what status may hold: every string at most {@value StatusText#MAX_LENGTH} characters,
 * bounded lists and maps, defects of known types only (a type is a key of status and of the operator's memory),
 * and a signal loss's reason as a category rather than FFmpeg's text.
 */
final class ReportSanitizer {

    static final int MAX_DEFECTS = 64;
    static final int MAX_ENTRIES = 32;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportSanitizer() {}

    static WorkerReport sanitize(WorkerReport r) {
        r.instanceId = StatusText.bounded(r.instanceId);
        r.podUid = StatusText.bounded(r.podUid);
        r.error = StatusText.bounded(r.error);
        r.stream = stream(r.stream);
        if (r.decoder != null) {
            r.decoder = new DecoderInfo(
                    StatusText.bounded(r.decoder.type),
                    StatusText.bounded(r.decoder.requested),
                    StatusText.bounded(r.decoder.reason));
        }
        r.detectors = r.detectors == null
                ? null
                : r.detectors.stream()
                        .filter(Objects::nonNull)
                        .limit(MAX_ENTRIES)
                        .map(StatusText::bounded)
                        .toList();
        r.reducedCoverage = strings(r.reducedCoverage);
        r.activeDefects = defects(r.activeDefects, MAX_DEFECTS);
        r.recentDefects = defects(r.recentDefects, WorkerReport.RECENT_DEFECTS);
        r.lastCues = cues(r.lastCues);
        r.delivery = null; // figures for the worker's metrics: the operator reads none
        if (r.counters != null && r.counters.size() > MAX_ENTRIES) {
            r.counters = null; // the operator reads no counter; a flood of them is dropped whole
        }
        return r;
    }

    /** The last {@value WorkerReport#LAST_CUES} cues, their strings bounded. */
    private static List<Cue> cues(List<Cue> cues) {
        if (cues == null) {
            return null;
        }
        List<Cue> known = cues.stream().filter(Objects::nonNull).toList();
        List<Cue> kept = known.subList(Math.max(0, known.size() - WorkerReport.LAST_CUES), known.size());
        for (Cue c : kept) {
            c.source = StatusText.bounded(c.source);
            c.command = StatusText.bounded(c.command);
        }
        return new ArrayList<>(kept);
    }

    private static StreamInfo stream(StreamInfo s) {
        if (s != null) {
            s.container = StatusText.bounded(s.container);
            s.videoCodec = StatusText.bounded(s.videoCodec);
            s.audioCodec = StatusText.bounded(s.audioCodec);
        }
        return s;
    }

    /** The last {@code max} defects of known types, their strings bounded. */
    private static List<Defect> defects(List<Defect> defects, int max) {
        if (defects == null) {
            return null;
        }
        List<Defect> known = defects.stream()
                .filter(d ->
                        d != null && d.id != null && DefectType.fromId(d.type).isPresent())
                .toList();
        List<Defect> kept = new ArrayList<>(known.subList(Math.max(0, known.size() - max), known.size()));
        kept.forEach(ReportSanitizer::defect);
        return kept;
    }

    private static void defect(Defect d) {
        d.instanceId = StatusText.bounded(d.instanceId);
        d.subtype = StatusText.bounded(d.subtype);
        d.severity = StatusText.bounded(d.severity);
        d.startedAt = StatusText.bounded(d.startedAt);
        d.endedAt = StatusText.bounded(d.endedAt);
        Map<String, Object> details = new LinkedHashMap<>();
        if (d.details != null) {
            for (Map.Entry<String, Object> e : d.details.entrySet()) {
                if (details.size() < MAX_ENTRIES
                        && e.getKey() != null
                        && e.getKey().length() <= 64
                        && small(e)) {
                    details.put(e.getKey(), e.getValue());
                }
            }
        }
        if (details.get("reason") instanceof String reason && !DefectReason.isNamed(reason)) {
            details.put("reason", StatusText.category(reason));
        }
        d.details = details;
    }

    /** A detail whose JSON fits a status string. */
    private static boolean small(Map.Entry<String, Object> e) {
        try {
            return JSON.writeValueAsString(e.getValue()).length() <= StatusText.MAX_LENGTH;
        } catch (JsonProcessingException ex) {
            return false;
        }
    }

    private static Map<String, String> strings(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        map.entrySet().stream()
                .filter(e -> e.getKey() != null)
                .limit(MAX_ENTRIES)
                .forEach(e -> kept.put(StatusText.bounded(e.getKey()), StatusText.bounded(e.getValue())));
        return kept;
    }
}
