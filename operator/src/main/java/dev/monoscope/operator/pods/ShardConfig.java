package dev.monoscope.operator.pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import dev.monoscope.api.worker.WorkerConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** The worker configuration ({@code MONOSCOPE_CONFIG}) of one shard of a StreamMonitor. */
final class ShardConfig {

    /** Where the worker saves the defects' evidence: on the scratch volume. */
    static final String EVIDENCE_DIR = WorkerPodFactory.SCRATCH + "/evidence";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardConfig() {}

    /**
     * This shard's detectors enabled, every other one disabled; the evidence folder on the scratch volume, capped at
     * half of it (the other half holds the native libraries and scratch files).
     */
    static String json(
            StreamMonitor monitor,
            int shard,
            int shards,
            List<String> shardDetectors,
            boolean fallback,
            String scratchSize) {
        StreamMonitorSpec spec = monitor.getSpec();
        WorkerConfig wc = new WorkerConfig();
        wc.source.url = spec.source.url;
        wc.source.program = spec.source.program;
        wc.source.audioTracks = spec.source.audioTracks;
        DetectorsSpec detectors =
                JSON.convertValue(spec.detectors == null ? new DetectorsSpec() : spec.detectors, DetectorsSpec.class);
        detectors.byKey().forEach((key, d) -> d.enabled = shardDetectors.contains(key));
        wc.detectors = detectors;
        wc.decoder = fallback ? StreamMonitorSpec.DECODER_CPU : spec.decoderOrDefault();
        wc.shard.index = shard;
        wc.shard.count = shards;
        wc.stream = new WorkerConfig.StreamRef();
        wc.stream.namespace = monitor.getMetadata().getNamespace();
        wc.stream.name = monitor.getMetadata().getName();
        wc.evidence = new WorkerConfig.EvidenceFolder();
        wc.evidence.dir = EVIDENCE_DIR;
        wc.evidence.maxBytes =
                Quantity.getAmountInBytes(new Quantity(scratchSize)).longValue() / 2;
        try {
            return JSON.writeValueAsString(wc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the worker configuration", e);
        }
    }
}
