package dev.monoscope.worker.detect.loudness;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The latest loudness of every audio track, written by the decode thread every 100 ms and read at scrape time as
 * gauges tagged {@code track}: {@code monoscope_loudness_momentary_lufs}, {@code monoscope_loudness_shortterm_lufs},
 * {@code monoscope_loudness_integrated_lufs} and {@code monoscope_true_peak_dbtp}. NaN where nothing is measured yet.
 * Tracks that appear after binding get their gauges when they appear.
 */
public final class LoudnessLevels implements MeterBinder {

    private final Map<Integer, Track> tracks = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new ArrayList<>();
    /** Some registry reads the levels (written once, by the thread that binds). */
    private volatile boolean bound;

    /** One track's levels: single writer (the decode thread), readers at scrape. */
    public static final class Track {
        private volatile double momentary = Double.NaN;
        private volatile double shortTerm = Double.NaN;
        private volatile double integrated = Double.NaN;
        private volatile double truePeak = Double.NaN;

        public void set(double momentary, double shortTerm, double integrated, double truePeak) {
            this.momentary = momentary;
            this.shortTerm = shortTerm;
            this.integrated = integrated;
            this.truePeak = truePeak;
        }

        public void clear() {
            set(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        public double momentary() {
            return momentary;
        }

        public double shortTerm() {
            return shortTerm;
        }

        public double integrated() {
            return integrated;
        }

        public double truePeak() {
            return truePeak;
        }
    }

    /** The levels of {@code track} (from 1), registered as gauges in every bound registry the first time. */
    public synchronized Track track(int track) {
        Track t = tracks.get(track);
        if (t == null) {
            t = new Track();
            tracks.put(track, t);
            for (MeterRegistry r : registries) {
                register(r, track, t);
            }
        }
        return t;
    }

    /** Whether a registry reads the levels (the worker's /q/metrics; the command line binds none). */
    public boolean bound() {
        return bound;
    }

    /** The input was reopened: nothing is measured until it plays again. */
    public void clearAll() {
        tracks.values().forEach(Track::clear);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        registries.add(registry);
        bound = true;
        tracks.forEach((track, t) -> register(registry, track, t));
    }

    private static void register(MeterRegistry r, int track, Track t) {
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
