package dev.monoscope.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monoscope.api.worker.CaptionService;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.Evidence;
import dev.monoscope.worker.defect.DefectListener;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** {@code --json}: one JSON object per line on stdout, and nothing else there (the JSON Lines contract). */
final class JsonLinesOutput implements DefectListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;

    JsonLinesOutput(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void defectStarted(Defect d) {
        ObjectNode o = event("defect_started", d);
        o.put("startedAt", d.startedAt);
        o.put("severity", d.severity);
        if (d.details != null && !d.details.isEmpty()) {
            o.set("details", JSON.valueToTree(d.details));
        }
        print(o);
    }

    @Override
    public void defectEnded(Defect d) {
        ObjectNode o = event("defect_ended", d);
        o.put("end", seconds(d.end));
        o.put("duration", seconds(d.end - d.start));
        o.put("severity", d.severity);
        o.set("details", JSON.valueToTree(d.details == null ? Map.of() : d.details));
        o.put("startedAt", d.startedAt);
        o.put("endedAt", d.endedAt);
        if (Boolean.TRUE.equals(d.truncated)) {
            o.put("truncated", true);
        }
        if (d.evidence != null) {
            o.set("evidence", JSON.valueToTree(d.evidence));
        }
        print(o);
    }

    @Override
    public void evidenceWritten(long defectId, Evidence evidence) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", "evidence");
        o.put("id", defectId);
        o.setAll((ObjectNode) JSON.valueToTree(evidence));
        print(o);
    }

    /** {@code {"event":"cue","source":…,"command":…,…}}: the cue's fields that it has, in their order. */
    @Override
    public void cue(Cue cue) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", "cue");
        o.setAll((ObjectNode) JSON.valueToTree(cue));
        print(o);
    }

    /** What both defect events start with, in the contract's order: event, id, type, subtype, start. */
    private static ObjectNode event(String name, Defect d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", name);
        o.put("id", d.id);
        o.put("type", d.type);
        if (d.subtype != null) {
            o.put("subtype", d.subtype);
        }
        o.put("start", seconds(d.start));
        return o;
    }

    /**
     * With the caption and subtitle services seen ({@code captions}) and the transport analyser's figures
     * ({@code transport}: per PID counts, failed checks), when there are any.
     */
    void summary(
            double durationSec,
            long frames,
            String decoder,
            double cpuSeconds,
            double wallSeconds,
            Map<String, Integer> defects,
            String error,
            List<CaptionService> captions,
            Map<String, Object> transport) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", "summary");
        o.put("durationSec", seconds(durationSec));
        o.put("frames", frames);
        o.put("decoder", decoder == null ? "cpu" : decoder);
        o.put("cpuSeconds", seconds(cpuSeconds));
        o.put("wallSeconds", seconds(wallSeconds));
        o.set("defects", JSON.valueToTree(defects));
        if (!captions.isEmpty()) {
            o.set("captions", JSON.valueToTree(captions));
        }
        if (transport != null) {
            o.set("transport", JSON.valueToTree(transport));
        }
        if (error != null) {
            o.put("error", error);
        }
        print(o);
    }

    /** Seconds with three decimals. */
    static BigDecimal seconds(double s) {
        return BigDecimal.valueOf(s).setScale(3, RoundingMode.HALF_UP);
    }

    private synchronized void print(ObjectNode o) {
        out.println(o.toString());
        out.flush();
    }
}
