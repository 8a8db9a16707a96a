package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object per detector, keyed as in DESIGN.md's table. The same shape travels to the worker in
 * {@code WorkerConfig}, where a shard's detectors are the enabled ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetectorsSpec {

    @JsonPropertyDescription("Black video: most of the picture at or near black.")
    public BlackDetectorSpec black = new BlackDetectorSpec();

    @JsonPropertyDescription("Frozen video: the picture stops changing. Black suppresses freeze.")
    public FreezeDetectorSpec freeze = new FreezeDetectorSpec();

    @JsonPropertyDescription("Audio silence on every channel, or on some channels while others play.")
    public SilenceDetectorSpec silence = new SilenceDetectorSpec();

    @JsonPropertyDescription("Corrupted pictures that the decoder flags as damaged. Runs on every shard.")
    public CorruptionDetectorSpec corruption = new CorruptionDetectorSpec();

    @JsonPropertyDescription("Signal loss: no data for timeoutSeconds, or the input cannot be opened. Runs on every shard.")
    public SignalLossDetectorSpec signalLoss = new SignalLossDetectorSpec();

    /** Every detector by its key (DESIGN.md's "CRD detector key"), in a stable order; absent ones are omitted. */
    @JsonIgnore
    public Map<String, DetectorSpec> byKey() {
        Map<String, DetectorSpec> all = new LinkedHashMap<>();
        putIfPresent(all, "black", black);
        putIfPresent(all, "freeze", freeze);
        putIfPresent(all, "silence", silence);
        putIfPresent(all, "corruption", corruption);
        putIfPresent(all, "signalLoss", signalLoss);
        return all;
    }

    /** The keys of the enabled detectors, in {@link #byKey()} order. */
    @JsonIgnore
    public java.util.List<String> enabledKeys() {
        return byKey().entrySet().stream().filter(e -> e.getValue().isEnabled()).map(Map.Entry::getKey).toList();
    }

    private static void putIfPresent(Map<String, DetectorSpec> all, String key, DetectorSpec spec) {
        if (spec != null) {
            all.put(key, spec);
        }
    }
}
