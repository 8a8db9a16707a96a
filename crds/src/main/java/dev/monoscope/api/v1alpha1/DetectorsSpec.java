package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object per detector, keyed as in docs/architecture.md's table. The same shape travels to the worker in
 * {@code WorkerConfig}, where a shard's detectors are the enabled ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetectorsSpec {

    @JsonPropertyDescription("Black video: most of the picture at or near black.")
    public BlackDetectorSpec black = new BlackDetectorSpec();

    @JsonPropertyDescription("Frozen video: the picture stops changing. Black suppresses freeze.")
    public FreezeDetectorSpec freeze = new FreezeDetectorSpec();

    @JsonPropertyDescription(
            "Audio silence on every channel, or on one of the front left/right pair while the other plays "
                    + "(a lost channel). LFE and surround channels alone are never silence: much ordinary programme "
                    + "leaves them silent. Sound missing while the pictures play on (details.reason missing) is "
                    + "silence too.")
    public SilenceDetectorSpec silence = new SilenceDetectorSpec();

    @JsonPropertyDescription("Corrupted pictures: data lost on the way (MPEG-TS), flagged by the decoder, or found in "
            + "the pixels. Runs on every shard.")
    public CorruptionDetectorSpec corruption = new CorruptionDetectorSpec();

    @JsonPropertyDescription(
            "Signal loss: no data for timeoutSeconds, or the input cannot be opened. Runs on every shard.")
    public SignalLossDetectorSpec signalLoss = new SignalLossDetectorSpec();

    @JsonPropertyDescription("Audio/video offset, where the content carries a flash-and-beep sync signal.")
    public AvSyncDetectorSpec avSync = new AvSyncDetectorSpec();

    @JsonPropertyDescription("Loudness (EBU R128): always measured; raised when short-term loudness leaves the window.")
    public LoudnessDetectorSpec loudness = new LoudnessDetectorSpec();

    @JsonPropertyDescription("Clipped audio: runs of samples at full scale.")
    public ClippingDetectorSpec clipping = new ClippingDetectorSpec();

    @JsonPropertyDescription("Frame drops: delivered frame rate under nominal, or stutter.")
    public FrameDropDetectorSpec frameDrop = new FrameDropDetectorSpec();

    @JsonPropertyDescription(
            "Format changes mid-stream (resolution, codec, frame rate, audio layout or rate): an event, not an error.")
    public FormatChangeDetectorSpec formatChange = new FormatChangeDetectorSpec();

    @JsonPropertyDescription(
            "MPEG-TS transport errors (ETSI TR 101 290 priority 1 and 2) on UDP, HTTP and file inputs.")
    public TransportDetectorSpec transport = new TransportDetectorSpec();

    @JsonPropertyDescription("HLS delivery health from the worker's own playlist and segment fetches: stale playlist, "
            + "segment unavailable, slow delivery, media sequence regression. Runs on every shard.")
    public DeliveryDetectorSpec delivery = new DeliveryDetectorSpec();

    @JsonPropertyDescription("SCTE-35 cues in MPEG-TS (stream type 0x86) and HLS playlists, reported as cue events; "
            + "broken sections and out-of-network cues whose return never came are defects.")
    public Scte35DetectorSpec scte35 = new Scte35DetectorSpec();

    @JsonPropertyDescription("Captions: CEA-608/708 in the video that stop, or a subtitle service the PMT drops.")
    public CaptionsDetectorSpec captions = new CaptionsDetectorSpec();

    /** Every detector by its key (docs/architecture.md, "CRD detector key"); stable order, absent ones left out. */
    @JsonIgnore
    public Map<String, DetectorSpec> byKey() {
        Map<String, DetectorSpec> all = new LinkedHashMap<>();
        putIfPresent(all, "black", black);
        putIfPresent(all, "freeze", freeze);
        putIfPresent(all, "silence", silence);
        putIfPresent(all, "corruption", corruption);
        putIfPresent(all, "signalLoss", signalLoss);
        putIfPresent(all, "avSync", avSync);
        putIfPresent(all, "loudness", loudness);
        putIfPresent(all, "clipping", clipping);
        putIfPresent(all, "frameDrop", frameDrop);
        putIfPresent(all, "formatChange", formatChange);
        putIfPresent(all, "transport", transport);
        putIfPresent(all, "delivery", delivery);
        putIfPresent(all, "scte35", scte35);
        putIfPresent(all, "captions", captions);
        return all;
    }

    /** The keys of the enabled detectors, in {@link #byKey()} order. */
    @JsonIgnore
    public java.util.List<String> enabledKeys() {
        return byKey().entrySet().stream()
                .filter(e -> e.getValue().isEnabled())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static void putIfPresent(Map<String, DetectorSpec> all, String key, DetectorSpec spec) {
        if (spec != null) {
            all.put(key, spec);
        }
    }
}
