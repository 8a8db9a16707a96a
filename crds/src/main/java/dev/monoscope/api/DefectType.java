package dev.monoscope.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * One name per defect, as pinned in docs/architecture.md's "Defect names": the JSON and metric id, the key under
 * {@code spec.detectors}, the Kubernetes Event reason and the severity. Extend, never rename.
 */
public enum DefectType {
    BLACK("black", "black", "BlackVideo", Severity.CRITICAL),
    FREEZE("freeze", "freeze", "FrozenVideo", Severity.CRITICAL),
    SILENCE("silence", "silence", "AudioSilence", Severity.CRITICAL),
    CORRUPTION("corruption", "corruption", "CorruptVideo", Severity.CRITICAL),
    SIGNAL_LOSS("signal_loss", "signalLoss", "SignalLoss", Severity.CRITICAL),
    AV_SYNC("av_sync", "avSync", "AvSyncOffset", Severity.MAJOR),
    LOUDNESS("loudness", "loudness", "LoudnessOutOfRange", Severity.MAJOR),
    CLIPPING("clipping", "clipping", "AudioClipping", Severity.MINOR),
    FRAME_DROP("frame_drop", "frameDrop", "FrameDrops", Severity.MAJOR),
    FORMAT_CHANGE("format_change", "formatChange", "FormatChanged", Severity.INFO),
    TRANSPORT("transport", "transport", "TransportError", Severity.MAJOR),
    DELIVERY("delivery", "delivery", "DeliveryError", Severity.MAJOR),
    SCTE35("scte35", "scte35", "CueError", Severity.MAJOR),
    CAPTIONS("captions", "captions", "CaptionsMissing", Severity.MAJOR);

    private final String id;
    private final String detectorKey;
    private final String eventReason;
    private final Severity severity;

    DefectType(String id, String detectorKey, String eventReason, Severity severity) {
        this.id = id;
        this.detectorKey = detectorKey;
        this.eventReason = eventReason;
        this.severity = severity;
    }

    /** The JSON / metric id, e.g. {@code signal_loss}. */
    public String id() {
        return id;
    }

    /** The key under {@code spec.detectors}, e.g. {@code signalLoss}. */
    public String detectorKey() {
        return detectorKey;
    }

    /** The Kubernetes Event reason, e.g. {@code SignalLoss}. */
    public String eventReason() {
        return eventReason;
    }

    public Severity severity() {
        return severity;
    }

    /** The severity of a defect of this type with {@code subtype}: a stale HLS playlist is critical. */
    public Severity severity(String subtype) {
        return this == DELIVERY && "stale_playlist".equals(subtype) ? Severity.CRITICAL : severity;
    }

    public static Optional<DefectType> fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    public enum Severity {
        CRITICAL("critical", 3),
        MAJOR("major", 2),
        MINOR("minor", 1),
        INFO("info", 0);

        private final String id;
        private final int rank;

        Severity(String id, int rank) {
            this.id = id;
            this.rank = rank;
        }

        public String id() {
            return id;
        }

        /** Higher is worse; used to pick the worst active defect. */
        public int rank() {
            return rank;
        }

        public static Severity fromId(String id) {
            return Arrays.stream(values())
                    .filter(s -> s.id.equals(id))
                    .findFirst()
                    .orElse(INFO);
        }
    }
}
