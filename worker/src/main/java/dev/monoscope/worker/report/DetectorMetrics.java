package dev.monoscope.worker.report;

import dev.monoscope.worker.detect.DetectorReadings;
import dev.monoscope.worker.detect.TimestampJumps;
import dev.monoscope.worker.detect.loudness.LoudnessLevels.Track;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/** The detectors' own readings as Prometheus meters: loudness per track, timestamp jumps, transport counts. */
public final class DetectorMetrics {

    private DetectorMetrics() {}

    public static void bind(DetectorReadings readings, MeterRegistry registry) {
        if (readings.loudness() != null) {
            readings.loudness().read((track, levels) -> loudness(registry, track, levels));
        }
        if (readings.timestampJumps() != null) {
            timestampJumps(readings.timestampJumps(), registry);
        }
        if (readings.transport() != null) {
            TransportMetrics transport =
                    new TransportMetrics(readings.transport().analyzer(), registry);
            readings.transport().watchCounts(transport::refresh);
        }
    }

    private static void timestampJumps(TimestampJumps jumps, MeterRegistry registry) {
        FunctionCounter.builder("monoscope.pts.discontinuities", jumps, TimestampJumps::count)
                .description("Video timestamp discontinuities (a step back, or forward by over 1 s)")
                .register(registry);
        Gauge.builder("monoscope.pts.last.jump", jumps, TimestampJumps::lastJumpSeconds)
                .baseUnit("seconds")
                .description("Size of the last video timestamp discontinuity, negative for a jump back (0: none yet)")
                .register(registry);
    }

    private static void loudness(MeterRegistry r, int track, Track t) {
        gauge(r, "monoscope.loudness.momentary.lufs", "Momentary loudness (400 ms), LUFS", track, t, Track::momentary);
        gauge(r, "monoscope.loudness.shortterm.lufs", "Short-term loudness (3 s), LUFS", track, t, Track::shortTerm);
        gauge(
                r,
                "monoscope.loudness.integrated.lufs",
                "Integrated loudness over the rolling window, LUFS",
                track,
                t,
                Track::integrated);
        gauge(
                r,
                "monoscope.true.peak.dbtp",
                "Largest true peak over the rolling window, dBTP",
                track,
                t,
                Track::truePeak);
    }

    private static void gauge(
            MeterRegistry r, String name, String help, int track, Track t, ToDoubleFunction<Track> f) {
        Gauge.builder(name, t, f)
                .description(help)
                .tag("track", String.valueOf(track))
                .strongReference(true)
                .register(r);
    }
}
