package dev.monoscope.worker.monitor;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.DetectorSpec;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.worker.detect.AudioDetector;
import dev.monoscope.worker.detect.AvSyncDetector;
import dev.monoscope.worker.detect.BlackDetector;
import dev.monoscope.worker.detect.ClippingDetector;
import dev.monoscope.worker.detect.CorruptionDetector;
import dev.monoscope.worker.detect.FormatChangeDetector;
import dev.monoscope.worker.detect.FrameDropDetector;
import dev.monoscope.worker.detect.FreezeDetector;
import dev.monoscope.worker.detect.LoudnessDetector;
import dev.monoscope.worker.detect.SilenceDetector;
import dev.monoscope.worker.detect.VideoDetector;
import dev.monoscope.worker.transport.TransportDetector;
import dev.monoscope.worker.transport.TransportMeters;
import dev.monoscope.worker.transport.TsAnalyzer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The enabled detectors of one monitor, built from {@code spec.detectors}, with the tracker's minimum durations and
 * merge windows. A detector that looks at both pictures and sound is in both lists and once in {@link #all()}.
 */
final class DetectorSet {

    /**
     * Luma samples the picture detectors read per picture, about: whole-picture conditions need a fair sample, not
     * every pixel (a 1080p picture is read on a 10-pixel grid).
     */
    static final int GRID_SAMPLES = 20_000;

    final List<VideoDetector> video = new ArrayList<>();
    final List<AudioDetector> audio = new ArrayList<>();
    final Map<DefectType, Double> minDuration = new EnumMap<>(DefectType.class);
    final Map<DefectType, Double> mergeWindow = new EnumMap<>(DefectType.class);
    /** Metrics some detectors keep (loudness, transport counters, timestamp jumps), bound into the worker's registry. */
    final List<MeterBinder> meters = new ArrayList<>();

    private final Set<Object> all = new LinkedHashSet<>();
    /** Where the input's bytes go when the worker reads an MPEG-TS input itself; null with the transport detector off. */
    TsAnalyzer transport;

    DetectorSet(DetectorsSpec d) {
        if (on(d.black)) {
            add(
                    DefectType.BLACK,
                    d.black,
                    new BlackDetector(d.black.pictureBlackRatio, d.black.pixelBlackThreshold, GRID_SAMPLES));
        }
        if (on(d.freeze)) {
            add(DefectType.FREEZE, d.freeze, new FreezeDetector(d.freeze.noiseThreshold, GRID_SAMPLES));
        }
        if (on(d.corruption)) {
            add(
                    DefectType.CORRUPTION,
                    d.corruption,
                    new CorruptionDetector(CorruptionDetector.PixelAnalysis.of(d.corruption.pixelAnalysis), true));
            mergeWindow.put(DefectType.CORRUPTION, orZero(d.corruption.mergeWindowSeconds));
        }
        if (on(d.silence)) {
            add(DefectType.SILENCE, d.silence, new SilenceDetector(d.silence.thresholdDb));
        }
        // -- new detectors: one block each, in DetectorsSpec order --
        if (on(d.avSync)) {
            add(DefectType.AV_SYNC, d.avSync, new AvSyncDetector(d.avSync.maxAudioEarlyMs, d.avSync.maxAudioLateMs));
        }
        if (d.loudness != null) {
            // measured for the metrics whenever they are bound (server mode); raised only when enabled
            LoudnessDetector loudness = new LoudnessDetector(
                    on(d.loudness),
                    d.loudness.targetLufs,
                    d.loudness.belowTargetLu,
                    d.loudness.aboveTargetLu,
                    d.loudness.integrationWindowMinutes);
            add(DefectType.LOUDNESS, d.loudness, loudness);
            meters.add(loudness.levels());
        }
        if (on(d.clipping)) {
            add(
                    DefectType.CLIPPING,
                    d.clipping,
                    new ClippingDetector(d.clipping.minConsecutiveSamples, d.clipping.minPlacesPerSecond));
        }
        if (on(d.frameDrop)) {
            FrameDropDetector frameDrop = new FrameDropDetector(d.frameDrop.minRateRatio);
            add(DefectType.FRAME_DROP, d.frameDrop, frameDrop);
            meters.add(frameDrop.discontinuities());
        }
        if (on(d.formatChange)) {
            add(DefectType.FORMAT_CHANGE, d.formatChange, new FormatChangeDetector());
        }
        if (on(d.transport)) {
            transport = new TsAnalyzer();
            TransportMeters transportMeters = new TransportMeters(transport);
            add(DefectType.TRANSPORT, d.transport, new TransportDetector(transport, transportMeters));
            mergeWindow.put(DefectType.TRANSPORT, orZero(d.transport.mergeWindowSeconds));
            meters.add(transportMeters);
        }
    }

    /** Every detector once, video and audio ones alike. */
    Set<Object> all() {
        return all;
    }

    private static boolean on(DetectorSpec spec) {
        return spec != null && spec.isEnabled();
    }

    /** Registers a detector for every interface it implements. */
    private void add(DefectType type, DetectorSpec spec, Object detector) {
        minDuration.put(type, orZero(spec.minDurationSeconds));
        if (detector instanceof VideoDetector v) {
            video.add(v);
        }
        if (detector instanceof AudioDetector a) {
            audio.add(a);
        }
        all.add(detector);
    }

    private static double orZero(Double v) {
        return v == null ? 0.0 : v;
    }
}
