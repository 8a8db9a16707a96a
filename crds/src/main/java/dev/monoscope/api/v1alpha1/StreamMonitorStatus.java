package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.StreamInfo;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the operator observed. Written by the operator only, and only when something a user sees changed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamMonitorStatus {

    /** Condition types, in the order they are listed. */
    public static final String READY = "Ready";

    public static final String SCHEDULED = "Scheduled";
    public static final String CONNECTED = "Connected";
    public static final String HEALTHY = "Healthy";
    public static final String DECODER_DEGRADED = "DecoderDegraded";

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Ready (the stream is monitored as specified), Scheduled, Connected, Healthy (False while a defect is "
                    + "active) "
                    + "and DecoderDegraded (a GPU was wanted but decoding runs on the CPU).")
    @SchemaFrom(type = KubernetesTypeSchemas.Conditions.class)
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Worker pods that exist for this stream.")
    @StatusReplicas
    public Integer replicas;

    @JsonPropertyDescription("Worker pods that are ready.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Label selector of the worker pods, for the scale subresource.")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("One entry per worker pod.")
    public List<WorkerStatus> workers = new ArrayList<>();

    @JsonPropertyDescription("The stream as the workers see it: container, codecs, resolution, frame rate, bitrate.")
    public StreamInfo stream;

    @JsonPropertyDescription("Where decoding runs: cpu, cuda, or mixed when the workers differ.")
    public String decoder;

    /** activeDefects lists at most this many; activeDefectCount counts them all. */
    public static final int MAX_LISTED_DEFECTS = 16;

    @JsonPropertyDescription("The defects active now, one per stream (shards reporting the same defect are merged); "
            + "at most 16, the oldest first.")
    public List<Defect> activeDefects = new ArrayList<>();

    @JsonPropertyDescription("How many defects are active now, listed in activeDefects or not.")
    public Integer activeDefectCount;

    @JsonPropertyDescription("The types of the active defects, comma-separated, for kubectl get.")
    public String activeDefectSummary;

    @JsonPropertyDescription("How many defects of each type have started since the StreamMonitor was created.")
    public Map<String, Long> defectCounts = new LinkedHashMap<>();

    @JsonPropertyDescription("The defect that started most recently.")
    public Defect lastDefect;

    @JsonPropertyDescription(
            "The last SCTE-35 cues a worker saw (transport stream or HLS playlist), at most 10, the " + "oldest first.")
    public List<Cue> lastCues;
}
