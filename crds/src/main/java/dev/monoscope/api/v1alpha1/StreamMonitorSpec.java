package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What to monitor and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = StreamMonitorSpec.RULE_REPLICAS, message = StreamMonitorSpec.MESSAGE_REPLICAS)
@ValidationRule(value = StreamMonitorSpec.RULE_CPU_NO_GPU, message = StreamMonitorSpec.MESSAGE_CPU_NO_GPU)
@ValidationRule(value = StreamMonitorSpec.RULE_GPU_NEEDS_GPU, message = StreamMonitorSpec.MESSAGE_GPU_NEEDS_GPU)
public class StreamMonitorSpec {

    public static final String DECODER_AUTO = "auto";
    public static final String DECODER_CPU = "cpu";
    public static final String DECODER_GPU = "gpu";

    // An absent detector (or absent spec.detectors) counts as enabled, as its defaults say.
    static final String RULE_REPLICAS = "!has(self.replicas) || self.replicas <= ["
            + "(!has(self.detectors) || !has(self.detectors.black) || !has(self.detectors.black.enabled) || "
            + "self.detectors.black.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.freeze) || !has(self.detectors.freeze.enabled) || "
            + "self.detectors.freeze.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.silence) || !has(self.detectors.silence.enabled) || "
            + "self.detectors.silence.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.corruption) || !has(self.detectors.corruption.enabled) "
            + "|| self.detectors.corruption.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.signalLoss) || !has(self.detectors.signalLoss.enabled) "
            + "|| self.detectors.signalLoss.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.avSync) || !has(self.detectors.avSync.enabled) || "
            + "self.detectors.avSync.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.loudness) || !has(self.detectors.loudness.enabled) || "
            + "self.detectors.loudness.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.clipping) || !has(self.detectors.clipping.enabled) || "
            + "self.detectors.clipping.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.frameDrop) || !has(self.detectors.frameDrop.enabled) || "
            + "self.detectors.frameDrop.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.formatChange) || "
            + "!has(self.detectors.formatChange.enabled) || self.detectors.formatChange.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.transport) || !has(self.detectors.transport.enabled) || "
            + "self.detectors.transport.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.delivery) || !has(self.detectors.delivery.enabled) || "
            + "self.detectors.delivery.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.scte35) || !has(self.detectors.scte35.enabled) || "
            + "self.detectors.scte35.enabled), "
            + "(!has(self.detectors) || !has(self.detectors.captions) || !has(self.detectors.captions.enabled) || "
            + "self.detectors.captions.enabled)"
            + "].filter(e, e).size()";
    static final String MESSAGE_REPLICAS =
            "spec.replicas must not exceed the number of enabled detectors in spec.detectors: "
                    + "lower replicas or enable more detectors";
    static final String RULE_CPU_NO_GPU =
            "!has(self.decoder) || self.decoder != 'cpu' || !has(self.gpu) || !has(self.gpu.count) || self.gpu.count "
                    + "== 0";
    static final String MESSAGE_CPU_NO_GPU =
            "spec.gpu.count must be 0 or unset when spec.decoder is cpu: set decoder to auto or gpu to use a GPU";
    static final String RULE_GPU_NEEDS_GPU =
            "!has(self.decoder) || self.decoder != 'gpu' || !has(self.gpu) || !has(self.gpu.count) || self.gpu.count "
                    + "== 1";
    static final String MESSAGE_GPU_NEEDS_GPU = "spec.gpu.count must be 1 or unset when spec.decoder is gpu";
    static final String MESSAGE_DECODER = "spec.decoder must be one of auto, cpu, gpu";

    @JsonPropertyDescription("The stream to monitor.")
    @Required
    public SourceSpec source;

    @JsonPropertyDescription("The detectors and their thresholds. Every detector is on by default.")
    public DetectorsSpec detectors = new DetectorsSpec();

    @JsonPropertyDescription(
            "How many worker pods share this stream's detectors (1-16). Each decodes the stream and runs its "
                    + "share; signalLoss and corruption run on every pod. Not more than the number of enabled "
                    + "detectors.")
    @Min(1)
    @Max(16)
    @Default("1")
    @SpecReplicas
    public Integer replicas = 1;

    @JsonPropertyDescription(
            "Where to decode: auto (on the pod's GPU if it has one, else the CPU), cpu, or gpu (the pod requests a "
                    + "GPU).")
    @Default("auto")
    @ValidationRule(value = "self in ['auto', 'cpu', 'gpu']", message = MESSAGE_DECODER)
    public String decoder = DECODER_AUTO;

    @JsonPropertyDescription("GPU settings of worker pods.")
    public GpuSpec gpu;

    @JsonPropertyDescription("The MonitorClass whose admin choices the worker pods get (image, placement, what "
            + "spec.worker may choose). Unset: the class marked monoscope.dev/is-default-class, else the operator's "
            + "own settings.")
    @Size(max = 253)
    public String monitorClassName;

    @JsonPropertyDescription("How worker pods are run, within what the MonitorClass allows. Unset fields take the "
            + "class's settings.")
    public WorkerPodSpec worker;

    @JsonPropertyDescription("Alerts pushed to other systems (webhook).")
    public AlertsSpec alerts;

    @JsonPropertyDescription("Stop monitoring: the worker pods are removed and Ready says so. Default false.")
    @Default("false")
    public Boolean suspend = false;

    public int replicasOrDefault() {
        return replicas == null ? 1 : replicas;
    }

    public String decoderOrDefault() {
        return decoder == null ? DECODER_AUTO : decoder;
    }

    @JsonIgnore
    public boolean isSuspended() {
        return suspend != null && suspend;
    }
}
