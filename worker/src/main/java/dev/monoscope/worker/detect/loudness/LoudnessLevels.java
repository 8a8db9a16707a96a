package dev.monoscope.worker.detect.loudness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The latest loudness of every audio track, written by the decode thread every 100 ms and read at scrape time as
 * gauges tagged {@code track}: {@code monoscope_loudness_momentary_lufs}, {@code monoscope_loudness_shortterm_lufs},
 * {@code monoscope_loudness_integrated_lufs} and {@code monoscope_true_peak_dbtp}. NaN where nothing is measured yet.
 * Tracks that appear after binding get their gauges when they appear.
 */
public final class LoudnessLevels {

    private final Map<Integer, Track> tracks = new ConcurrentHashMap<>();
    private final List<BiConsumer<Integer, Track>> readers = new ArrayList<>();
    /** Something reads the levels (written once, by the thread that adds the reader). */
    private volatile boolean bound;

    /** One track's levels: single writer (the decode thread), readers at scrape. */
    public static final class Track {
        private volatile double momentary = Double.NaN;
        private volatile double shortTerm = Double.NaN;
        private volatile double integrated = Double.NaN;
        private volatile double truePeak = Double.NaN;
        private volatile double recentPeak = Double.NaN;

        public void set(double momentary, double shortTerm, double integrated, double truePeak, double recentPeak) {
            this.momentary = momentary;
            this.shortTerm = shortTerm;
            this.integrated = integrated;
            this.truePeak = truePeak;
            this.recentPeak = recentPeak;
        }

        public void clear() {
            set(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
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

        /** The true peak of the last 3 s (the report's level meters). */
        public double recentPeak() {
            return recentPeak;
        }
    }

    /** The levels of {@code track} (from 1), handed to every reader the first time. */
    public synchronized Track track(int track) {
        Track t = tracks.get(track);
        if (t == null) {
            t = new Track();
            tracks.put(track, t);
            for (BiConsumer<Integer, Track> reader : readers) {
                reader.accept(track, t);
            }
        }
        return t;
    }

    /** Whether a registry reads the levels (the worker's /q/metrics; the command line binds none). */
    public boolean bound() {
        return bound;
    }

    /** Every track measured so far, by track number. */
    public Map<Integer, Track> tracks() {
        return new TreeMap<>(tracks);
    }

    /** The input was reopened: nothing is measured until it plays again. */
    public void clearAll() {
        tracks.values().forEach(Track::clear);
    }

    /** Adds a reader of the levels (the metrics): told of every track, those measured now and those to come. */
    public synchronized void read(BiConsumer<Integer, Track> reader) {
        readers.add(reader);
        bound = true;
        tracks.forEach(reader);
    }
}
