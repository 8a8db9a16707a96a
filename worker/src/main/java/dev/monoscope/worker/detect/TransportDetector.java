package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.transport.PidSeries;
import dev.monoscope.worker.transport.TsAnalyzer;
import dev.monoscope.worker.transport.TsCheck;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transport errors (ETSI TR 101 290, see {@link TsAnalyzer}) as {@code transport} defects whose subtype is the check's
 * name: each failed check is raised at once, on the media clock, and errors of one check on one PID within the merge
 * window are one defect. The analyser sees the bytes before FFmpeg demuxes them (it reads ahead), so its findings wait
 * until the pictures and sound reach the stream time (PCR/PTS clock) where they were found.
 */
public final class TransportDetector implements VideoDetector, AudioDetector, TsAnalyzer.ErrorListener {

    /** Findings further than this from the pictures' clock (a PCR jump) are reported at the current picture. */
    private static final double FAR = 10;

    private static final int MAX_QUEUED = 10_000;

    private final TsAnalyzer analyzer;
    /** Told about once a second of media that PIDs and checks may have appeared (the metrics register them). */
    private volatile Runnable countsWatcher;

    private double nextMeterRefresh = Double.NEGATIVE_INFINITY;
    private final ArrayDeque<Finding> queue = new ArrayDeque<>();
    private final Map<Integer, Condition> conditions = new HashMap<>();
    /** Conditions raised and not yet cleared: cleared at the next picture or block without a new error. */
    private final List<Condition> active = new ArrayList<>();

    private double lastTime = Double.NEGATIVE_INFINITY;
    /** The first picture or block of this connection: findings from before it are reported there. */
    private double firstTime = Double.NaN;

    private record Finding(TsCheck check, int pid, double pcrSeconds) {}

    private static final class Condition {
        final String key;
        final TsCheck check;
        final int pid;
        boolean hit;
        double last = Double.NEGATIVE_INFINITY;

        Condition(TsCheck check, int pid) {
            this.check = check;
            this.pid = pid;
            this.key = DefectType.TRANSPORT.id() + "/" + check.id() + (pid != -1 ? "/" + PidSeries.label(pid) : "");
        }
    }

    public TransportDetector(TsAnalyzer analyzer) {
        this.analyzer = analyzer;
        analyzer.setListener(this);
    }

    /** Has {@code watcher} run about once a second of media, on the decode thread, while the analyser counts. */
    public void watchCounts(Runnable watcher) {
        this.countsWatcher = watcher;
    }

    /** The analyser the input's bytes go to. */
    public TsAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public void error(TsCheck check, int pid, double pcrSeconds) {
        if (queue.size() >= MAX_QUEUED) {
            queue.poll(); // a stream in pieces: the newest findings matter more
        }
        queue.add(new Finding(check, pid, pcrSeconds));
    }

    @Override
    public void restarted() {
        queue.clear();
    }

    @Override
    public void picture(Picture picture, double time, DefectSink tracker) {
        advance(picture.pts(), time, tracker);
    }

    @Override
    public void undecodable(double time, DefectSink tracker) {
        // no stream time to compare with: findings wait for the next picture or block
    }

    @Override
    public void audio(AudioBlock block, double time, DefectSink tracker) {
        advance(block.pts(), time, tracker);
    }

    private void advance(double pts, double time, DefectSink tracker) {
        lastTime = Math.max(lastTime, time);
        if (Double.isNaN(firstTime)) {
            firstTime = time;
        }
        while (!queue.isEmpty()) {
            Finding f = queue.peek();
            double at = time;
            if (!Double.isNaN(f.pcrSeconds)) {
                double ahead = StreamTime.ahead(f.pcrSeconds, pts);
                if (ahead > 0 && ahead < FAR) {
                    break; // found further on in the stream than the media has reached
                }
                if (ahead > -FAR) {
                    at = Math.max(firstTime, time + ahead);
                }
            }
            queue.poll();
            raise(f, at, time, tracker);
        }
        clearQuiet(time, tracker);
        Runnable watcher = countsWatcher;
        if (watcher != null && time >= nextMeterRefresh) {
            nextMeterRefresh = time + 1;
            watcher.run();
        }
    }

    private void raise(Finding f, double at, double now, DefectSink tracker) {
        int series = analyzer.pidSeries().series(f.pid);
        Condition c = conditions.computeIfAbsent(
                f.check.ordinal() * (TsAnalyzer.PIDS + 3) + series + 2, k -> new Condition(f.check, series));
        at = Math.max(at, c.last);
        c.last = at;
        if (!c.hit) {
            c.hit = true;
            if (!active.contains(c)) {
                active.add(c);
            }
        }
        // no count: the tracker copies the details when it raises the defect, later errors would never reach them
        Map<String, Object> details = null;
        if (c.pid >= 0) {
            details = new LinkedHashMap<>();
            details.put("pid", c.pid);
        } else if (c.pid == PidSeries.FOLDED) {
            details = new LinkedHashMap<>();
            details.put("pid", PidSeries.OTHER);
            details.put("foldedPids", analyzer.pidSeries().foldedCount());
        }
        tracker.observe(c.key, DefectType.TRANSPORT, c.check.id(), true, at, Math.max(at, now), details);
    }

    /** Conditions with no new error since the last picture or block turn good (the merge window joins them up). */
    private void clearQuiet(double time, DefectSink tracker) {
        for (int i = active.size() - 1; i >= 0; i--) {
            Condition c = active.get(i);
            if (c.hit) {
                c.hit = false;
                continue;
            }
            double at = Math.max(time, c.last);
            tracker.observe(c.key, DefectType.TRANSPORT, c.check.id(), false, at, at, null);
            active.remove(i);
        }
    }

    @Override
    public void inputEnded(DefectSink tracker) {
        double end = lastTime;
        // what the analyser found after the last picture: at the end
        while (!queue.isEmpty()) {
            Finding f = queue.poll();
            if (Double.isFinite(end)) {
                raise(f, end, end, tracker);
            }
        }
    }

    @Override
    public void opened(StreamInfo info, double time, DefectSink tracker) {
        // the analyser started over when the decoder opened the input (its findings since are queued)
    }

    @Override
    public void reset() {
        active.clear();
        lastTime = Double.NEGATIVE_INFINITY;
        firstTime = Double.NaN;
        nextMeterRefresh = Double.NEGATIVE_INFINITY;
        for (Condition c : conditions.values()) {
            c.hit = false;
            c.last = Double.NEGATIVE_INFINITY;
        }
    }
}
