package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.CaptionsDetectorSpec;
import dev.monoscope.api.v1alpha1.DetectorSpec;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.api.worker.CaptionService;
import dev.monoscope.worker.decode.AudioTrackId;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.detect.loudness.LoudnessLevels;
import dev.monoscope.worker.source.HlsRenditions;
import dev.monoscope.worker.transport.PidSeries;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The enabled detectors of one monitor, built from {@code spec.detectors}, with the tracker's minimum durations and
 * merge windows. A detector that looks at both pictures and sound is in both lists and once in {@link #all()}.
 */
public final class DetectorSet {

    /**
     * Luma samples the picture detectors read per picture, about: whole-picture conditions need a fair sample, not
     * every pixel (a 1080p picture is read on a 10-pixel grid).
     */
    static final int GRID_SAMPLES = 20_000;

    /** How long reading an HLS master playlist for its caption renditions may take, at each connection. */
    private static final Duration RENDITIONS_DEADLINE = Duration.ofSeconds(5);

    private final List<VideoDetector> video = new ArrayList<>();
    private final List<AudioDetector> audio = new ArrayList<>();
    private final Map<DefectType, Double> minDuration = new EnumMap<>(DefectType.class);
    private final Map<DefectType, Double> mergeWindow = new EnumMap<>(DefectType.class);
    private final Set<Detector> all = new LinkedHashSet<>();
    private CorruptionDetector corruption;
    /**
     * Where the input's bytes go when the worker reads an MPEG-TS input itself; null with the transport detector off.
     */
    private TsAnalyzer transport;

    private LoudnessLevels loudnessLevels;
    private TimestampJumps timestampJumps;
    private TransportDetector transportDetector;
    private Scte35Detector scte35;
    private CaptionsDetector captionsDetector;

    public DetectorSet(DetectorsSpec d) {
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
            corruption = new CorruptionDetector(CorruptionDetector.PixelAnalysis.of(d.corruption.pixelAnalysis), true);
            add(DefectType.CORRUPTION, d.corruption, corruption);
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
            loudnessLevels = loudness.levels();
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
            timestampJumps = frameDrop.discontinuities();
        }
        if (on(d.formatChange)) {
            add(DefectType.FORMAT_CHANGE, d.formatChange, new FormatChangeDetector());
        }
        if (on(d.transport)) {
            transport = new TsAnalyzer();
            transportDetector = new TransportDetector(transport);
            add(DefectType.TRANSPORT, d.transport, transportDetector);
            mergeWindow.put(DefectType.TRANSPORT, orZero(d.transport.mergeWindowSeconds));
        }
        addScte35(d);
        addCaptions(d.captions);
    }

    private void addScte35(DetectorsSpec d) {
        if (on(d.scte35)) {
            scte35 = new Scte35Detector();
            add(DefectType.SCTE35, d.scte35, scte35);
            transport = transport == null ? new TsAnalyzer() : transport; // the sections come from the analyser
            transport.setSpliceListener(scte35);
        }
    }

    /** The captions detector, after the transport's (it reads the subtitle services the analyser finds). */
    private void addCaptions(CaptionsDetectorSpec spec) {
        if (!on(spec)) {
            return;
        }
        captionsDetector = new CaptionsDetector(
                orZero(spec.minDurationSeconds),
                spec.requiredOrDefault(),
                transport == null ? null : transport.subtitleServices());
        add(DefectType.CAPTIONS, spec, captionsDetector);
        minDuration.put(DefectType.CAPTIONS, 0.0); // the detector waits out minDurationSeconds for 'missing' itself
    }

    /** A connection was opened: the detectors that read its packets get them. */
    public void connected(StreamDecoder decoder) {
        if (captionsDetector != null) {
            captionsDetector.watch(decoder.captions(), decoder.videoPid());
            if ("hls".equals(decoder.streamInfo().container)) { // the master playlist's caption renditions
                captionsDetector.renditions(HlsRenditions.read(decoder.source(), RENDITIONS_DEADLINE));
            }
        }
    }

    /** A connection was opened: every detector starts over, told what it carries, and the audio ones its tracks. */
    public void opened(StreamDecoder decoder, double time, DefectSink tracker) {
        all().forEach(Detector::reset);
        for (Detector d : all()) {
            d.opened(decoder.streamInfo(), time, tracker);
        }
        int[] tracks =
                decoder.audioTracks().stream().mapToInt(AudioTrackId::number).toArray();
        for (AudioDetector d : audio) {
            d.tracksOpened(tracks, time);
        }
    }

    /** Tells {@code listener} the caption services whenever they change (on the decode thread). */
    public void onCaptionsChanged(Consumer<List<CaptionService>> listener) {
        if (captionsDetector != null) {
            captionsDetector.onServicesChanged(listener);
        }
    }

    /** The caption and subtitle services seen so far; empty with the captions detector off. */
    public List<CaptionService> captions() {
        return captionsDetector == null ? List.of() : captionsDetector.services();
    }

    /** Whether the corruption detector holds a damaged picture that waits for its verdict; false with it off. */
    public boolean damageWaiting() {
        return corruption != null && corruption.damageWaiting();
    }

    /** Every detector once, video and audio ones alike. */
    public Set<Detector> all() {
        return all;
    }

    public List<VideoDetector> video() {
        return video;
    }

    public List<AudioDetector> audio() {
        return audio;
    }

    /** How long each type's condition must last before it is a defect, seconds. */
    public Map<DefectType, Double> minDuration() {
        return minDuration;
    }

    /** How long a type's defect waits for the condition to return before it ends, seconds. */
    public Map<DefectType, Double> mergeWindow() {
        return mergeWindow;
    }

    /**
     * Where the input's bytes go when the worker reads an MPEG-TS input itself; null with the transport detector off.
     */
    public TsAnalyzer transport() {
        return transport;
    }

    /** Where HLS cue tags go; null with the scte35 detector off. */
    public Scte35Detector scte35() {
        return scte35;
    }

    /** The transport counts for the run's summary (PIDs of one kind folded), null when no packet was analysed. */
    public Map<String, Object> transportSummary() {
        return transport == null || transport.totalPackets() == 0 ? null : PidSeries.foldSummary(transport.summary());
    }

    /** What the detectors measure besides defects, for the metrics. */
    public DetectorReadings readings() {
        return new DetectorReadings(loudnessLevels, timestampJumps, transportDetector);
    }

    private static boolean on(DetectorSpec spec) {
        return spec != null && spec.isEnabled();
    }

    /** Registers a detector for every interface it implements. */
    private void add(DefectType type, DetectorSpec spec, Detector detector) {
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
