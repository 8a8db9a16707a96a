package dev.monoscope.worker.report;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.detect.DetectorReadings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The worker's Prometheus metrics ({@code /q/metrics}). High-rate numbers live here, never in the report's version:
 * they are read from {@link ReportState}'s counters at scrape time, so the decode thread pays nothing for them.
 * Defect counts come from the tracker through {@link DefectListener}. Type tags are the defect ids of
 * docs/architecture.md.
 */
public final class WorkerMetrics implements DefectListener {

    /** Counter names in {@code WorkerReport.counters}, as the pipeline writes them. */
    public static final String FRAMES_DECODED = "framesDecoded";

    public static final String VIDEO_FRAMES = "videoFrames";
    public static final String AUDIO_FRAMES = "audioFrames";
    public static final String DECODE_ERRORS = "decodeErrors";
    public static final String RECONNECTS = "reconnects";

    private final ReportState state;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> defectsByType = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> activeByType = new ConcurrentHashMap<>();
    private final Map<String, Counter> cuesByCommand = new ConcurrentHashMap<>();
    private final DecodeRate decodeRate;
    private final MediaLag lag;
    private final List<LongSupplier> countSources = new CopyOnWriteArrayList<>();

    public WorkerMetrics(ReportState state) {
        this(state, System::nanoTime);
    }

    /** Adds the detectors' own readings (loudness, timestamp jumps, transport counts) to this registry. */
    public void bind(DetectorReadings readings) {
        DetectorMetrics.bind(readings, registry);
    }

    /** With the wall clock given, so that tests need not sleep. */
    WorkerMetrics(ReportState state, LongSupplier nanoTime) {
        this.state = state;
        this.lag = new MediaLag(nanoTime);
        this.decodeRate = new DecodeRate(nanoTime, () -> {
            long video = counter(VIDEO_FRAMES);
            return video > 0 ? video : counter(FRAMES_DECODED);
        });
        counter("monoscope.frames.decoded", "Frames decoded (audio and video)", FRAMES_DECODED);
        counter("monoscope.video.frames.decoded", "Video frames decoded", VIDEO_FRAMES);
        counter("monoscope.audio.frames.decoded", "Audio frames decoded", AUDIO_FRAMES);
        counter("monoscope.decode.errors", "Frames or packets the decoder could not decode cleanly", DECODE_ERRORS);
        counter("monoscope.reconnects", "Times the worker reopened its input", RECONNECTS);
        Gauge.builder("monoscope.stream.up", () -> state.read(r -> r.connected) ? 1 : 0)
                .description("1 while the input delivers frames, 0 otherwise")
                .register(registry);
        Gauge.builder(
                        "monoscope.decoder.gpu",
                        () -> state.read(r -> r.decoder != null && DecoderInfo.CUDA.equals(r.decoder.type)) ? 1 : 0)
                .description("1 while decoding on the GPU (NVDEC), 0 on the CPU")
                .register(registry);
        Gauge.builder(
                        "monoscope.decoder.degraded",
                        () -> state.read(r -> r.decoder != null && r.decoder.reason != null) ? 1 : 0)
                .description("1 while decoding is not where it was asked to be (a GPU was wanted; the report says why)")
                .register(registry);
        Gauge.builder("monoscope.decode.fps", decodeRate::perSecond)
                .description("Video frames decoded per second of wall time, over the last scrape interval")
                .register(registry);
        Gauge.builder("monoscope.media.time", () -> {
                    Double t = state.read(r -> r.mediaTime);
                    return t == null ? 0 : t;
                })
                .baseUnit("seconds")
                .description("Position on the monitor's media clock")
                .register(registry);
        Gauge.builder("monoscope.processing.lag", () -> lag.seconds(state.read(r -> r.connected ? r.mediaTime : null)))
                .baseUnit("seconds")
                .description("How far processing has fallen behind the stream since the worker was furthest ahead")
                .register(registry);
        DeliveryMetrics.bind(state, registry);
        for (DefectType type : DefectType.values()) {
            defects(type.id());
            active(type.id());
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Exposes a component's own count (e.g. webhook drops) as a Prometheus counter. The registry holds {@code value}
     * weakly; this class holds it, else a collected lambda would read as nothing.
     */
    public void countOf(String name, String description, LongSupplier value) {
        countSources.add(value);
        FunctionCounter.builder(name, value, v -> v.getAsLong())
                .description(description)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void defectStarted(Defect defect) {
        defects(defect.type).increment();
        active(defect.type).incrementAndGet();
    }

    @Override
    public void defectEnded(Defect defect) {
        active(defect.type).updateAndGet(n -> Math.max(0, n - 1));
    }

    @Override
    public void cue(Cue cue) {
        cuesByCommand
                .computeIfAbsent(
                        cue.command,
                        c -> Counter.builder("monoscope.scte35.cues")
                                .description("SCTE-35 cues seen (transport stream and HLS playlist), by splice command")
                                .tag("command", c)
                                .register(registry))
                .increment();
    }

    private long counter(String name) {
        return state.read(r -> r.counters.getOrDefault(name, 0L));
    }

    private void counter(String metric, String description, String counterName) {
        FunctionCounter.builder(metric, this, m -> m.counter(counterName))
                .description(description)
                .register(registry);
    }

    private Counter defects(String type) {
        return defectsByType.computeIfAbsent(
                type,
                t -> Counter.builder("monoscope.defects")
                        .description("Defects started, by type")
                        .tag("type", t)
                        .register(registry));
    }

    private AtomicInteger active(String type) {
        return activeByType.computeIfAbsent(type, t -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("monoscope.active.defects", n, AtomicInteger::get)
                    .description("Defects active now, by type")
                    .tag("type", t)
                    .register(registry);
            return n;
        });
    }

    /** Frames per wall-clock second between scrapes (at least a second apart, so one burst does not skew it). */
    private static final class DecodeRate {
        private final LongSupplier nanoTime;
        private final LongSupplier frames;
        private long lastFrames = -1;
        private long lastNanos;
        private double perSecond;

        DecodeRate(LongSupplier nanoTime, LongSupplier frames) {
            this.nanoTime = nanoTime;
            this.frames = frames;
        }

        synchronized double perSecond() {
            long now = nanoTime.getAsLong();
            long count = frames.getAsLong();
            if (lastFrames < 0 || count < lastFrames) {
                lastFrames = count;
                lastNanos = now;
            } else if (now - lastNanos >= 1_000_000_000L) {
                perSecond = (count - lastFrames) * 1e9 / (now - lastNanos);
                lastFrames = count;
                lastNanos = now;
            }
            return perSecond;
        }
    }

    /**
     * Lag of a live stream: wall time minus media time, against the smallest such offset seen (when the worker
     * was furthest ahead). Stays 0 while the worker keeps real time; grows when decoding falls behind. Without a
     * connection there is nothing to lag behind (0); the media clock then advances by wall time, so an outage
     * leaves no lag behind it either.
     */
    private static final class MediaLag {
        private final LongSupplier nanoTime;
        private double bestOffset = Double.NaN;

        MediaLag(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        synchronized double seconds(Double mediaTime) {
            if (mediaTime == null) {
                return 0;
            }
            double offset = nanoTime.getAsLong() / 1e9 - mediaTime;
            if (Double.isNaN(bestOffset) || offset < bestOffset) {
                bestOffset = offset;
            }
            return offset - bestOffset;
        }
    }
}
