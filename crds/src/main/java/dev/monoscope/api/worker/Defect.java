package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One defect, as the worker reports it and as the StreamMonitor status shows it. {@code start} and {@code end}
 * are seconds on the monitor's media clock (docs/architecture.md, "Media clock"); {@code startedAt} and
 * {@code endedAt} are UTC.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Defect {

    @JsonPropertyDescription("Sequence number of the defect within one worker instance, from 1.")
    public Long id;

    @JsonPropertyDescription("The worker instance that reported it.")
    public String instanceId;

    @JsonPropertyDescription(
            "Defect type: black, freeze, silence, corruption, signal_loss, av_sync, loudness, clipping, frame_drop, "
                    + "format_change, transport, delivery, scte35, captions.")
    public String type;

    @JsonPropertyDescription("Finer classification, e.g. the TR 101 290 check of a transport defect.")
    public String subtype;

    @JsonPropertyDescription("critical, major, minor or info.")
    public String severity;

    @JsonPropertyDescription("Start, in seconds on the monitor's media clock.")
    public Double start;

    @JsonPropertyDescription("End, in seconds on the monitor's media clock; absent while active.")
    public Double end;

    @JsonPropertyDescription("Start, UTC, RFC 3339.")
    public String startedAt;

    @JsonPropertyDescription("End, UTC, RFC 3339; absent while active.")
    public String endedAt;

    @JsonPropertyDescription("True when the input ended while the defect was active.")
    public Boolean truncated;

    @JsonPropertyDescription("Detector-specific measurements, e.g. channels for partial silence.")
    // Any JSON value (numbers, lists, objects): the schema is x-kubernetes-preserve-unknown-fields alone.
    @SchemaFrom(type = JsonNode.class)
    public Map<String, Object> details = new LinkedHashMap<>();

    @JsonPropertyDescription("The files saved for it (with an evidence folder): JPEG, clip as MPEG-TS and as MP4.")
    public Evidence evidence;

    public Defect copy() {
        Defect d = new Defect();
        d.id = id;
        d.instanceId = instanceId;
        d.type = type;
        d.subtype = subtype;
        d.severity = severity;
        d.start = start;
        d.end = end;
        d.startedAt = startedAt;
        d.endedAt = endedAt;
        d.truncated = truncated;
        d.details = details == null ? null : new LinkedHashMap<>(details);
        d.evidence = evidence == null ? null : evidence.copy();
        return d;
    }
}
