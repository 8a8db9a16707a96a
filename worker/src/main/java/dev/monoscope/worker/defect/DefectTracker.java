package dev.monoscope.worker.defect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.detect.DefectSink;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns detectors' per-frame conditions into defects. A condition becomes a defect once it has lasted its minimum
 * duration; the defect starts at the condition's first defective frame and ends at the first good one (or, with a
 * merge window, once no defective frame came for that long). Suppression: signal loss ends and holds off every
 * other defect; a black picture holds off freeze. Ids increase by one per defect. Runs on the pipeline thread.
 * Its outputs (the report, metrics, webhook, JSON Lines, console, evidence) are its {@link DefectListener}s.
 */
public final class DefectTracker implements DefectSink {

    private static final double EPSILON = 1e-6;
    private static final String SIGNAL_LOSS_KEY = DefectType.SIGNAL_LOSS.id();

    private final String instanceId;
    private final List<DefectListener> listeners;
    private final Map<DefectType, Double> minDuration;
    private final Map<DefectType, Double> mergeWindow;
    private final Map<String, Condition> conditions = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private long seq;
    private boolean signalLost;

    private static final class Condition {
        final DefectType type;
        String subtype;
        Double pendingSince;
        Instant pendingWall;
        Map<String, Object> details;
        Defect active;
        Double clearSince;
        Instant clearWall;
        /** When the condition last turned good (media seconds). */
        double goodSince = Double.NEGATIVE_INFINITY;

        Condition(DefectType type) {
            this.type = type;
        }

        /** Defective at media time {@code t}, as far as observed. */
        boolean defectiveAt(double t) {
            Double since =
                    pendingSince != null ? pendingSince : active != null && clearSince == null ? active.start : null;
            return since != null && since <= t + EPSILON;
        }

        boolean defective() {
            return pendingSince != null || (active != null && clearSince == null);
        }
    }

    /**
     * @param instanceId the worker instance the defects are stamped with
     * @param listeners  the outputs, told in this order
     */
    public DefectTracker(
            String instanceId,
            List<DefectListener> listeners,
            Map<DefectType, Double> minDuration,
            Map<DefectType, Double> mergeWindow) {
        this.instanceId = instanceId;
        this.listeners = listeners;
        this.minDuration = new EnumMap<>(DefectType.class);
        this.minDuration.putAll(minDuration);
        this.mergeWindow = new EnumMap<>(DefectType.class);
        this.mergeWindow.putAll(mergeWindow);
    }

    @Override
    public void observe(
            String key, DefectType type, boolean defective, double since, double now, Map<String, Object> details) {
        double time = since;
        if (signalLost) {
            return;
        }
        Condition c = conditions.computeIfAbsent(key, k -> new Condition(type));
        if (defective && type == DefectType.FREEZE) {
            // a black picture is frozen too: report it once, as black; a freeze starts after the black at the earliest
            Condition black = conditions.get(DefectType.BLACK.id());
            if (black != null) {
                if (black.defectiveAt(now) || black.goodSince > now + EPSILON) {
                    defective = false;
                } else {
                    since = Math.max(since, black.goodSince);
                    time = since;
                }
            }
        }
        if (c.active != null
                && c.clearSince != null
                && now + EPSILON >= c.clearSince + mergeWindow.getOrDefault(type, 0.0)) {
            end(c, c.clearSince, c.clearWall, false);
        }
        if (defective) {
            if (c.active != null) {
                c.clearSince = null;
                return;
            }
            if (c.pendingSince == null) {
                c.pendingSince = time;
                c.pendingWall = Instant.now();
                for (DefectListener l : listeners) {
                    l.conditionStarted(key, type, time);
                }
            }
            if (details != null) {
                c.details = details;
            }
            if (now - c.pendingSince + EPSILON >= minDuration.getOrDefault(type, 0.0)) {
                raise(key, c);
            }
        } else {
            if (c.defective()) {
                c.goodSince = time;
            }
            c.pendingSince = null;
            c.details = null;
            if (c.active != null && c.clearSince == null) {
                c.clearSince = time;
                c.clearWall = Instant.now();
                if (mergeWindow.getOrDefault(type, 0.0) <= 0) {
                    end(c, time, c.clearWall, false);
                }
            }
        }
    }

    @Override
    public void observe(
            String key,
            DefectType type,
            String subtype,
            boolean defective,
            double since,
            double now,
            Map<String, Object> details) {
        conditions.computeIfAbsent(key, k -> new Condition(type)).subtype = subtype;
        observe(key, type, defective, since, now, details);
    }

    @Override
    public void startsLater(String key, double since) {
        Condition c = conditions.get(key);
        if (c == null || c.active != null || c.pendingSince == null || since <= c.pendingSince) {
            return;
        }
        c.pendingSince = since;
        for (DefectListener l : listeners) {
            l.conditionStarted(key, c.type, since);
        }
    }

    @Override
    public boolean anyDefective(DefectType type) {
        for (Condition c : conditions.values()) {
            if (c.type == type && c.defective()) {
                return true;
            }
        }
        return false;
    }

    /** No data, or the input cannot be opened: ends every other defect at {@code time} and raises signal loss. */
    public void signalLost(double time, String reason) {
        if (signalLost) {
            return;
        }
        for (Condition c : conditions.values()) {
            c.pendingSince = null;
            if (c.active != null) {
                end(c, c.clearSince != null ? c.clearSince : time, Instant.now(), false);
            }
        }
        signalLost = true;
        Condition c = conditions.computeIfAbsent(SIGNAL_LOSS_KEY, k -> new Condition(DefectType.SIGNAL_LOSS));
        c.pendingSince = time;
        c.pendingWall = Instant.now();
        c.details = new LinkedHashMap<>();
        if (reason != null) {
            c.details.put("reason", reason);
        }
        raise(SIGNAL_LOSS_KEY, c);
    }

    /** Frames flow again. */
    public void signalRestored(double time) {
        if (!signalLost) {
            return;
        }
        signalLost = false;
        Condition c = conditions.get(SIGNAL_LOSS_KEY);
        if (c != null && c.active != null) {
            end(c, time, Instant.now(), false);
        }
    }

    public boolean signalIsLost() {
        return signalLost;
    }

    /**
     * End of input: defects still active end here, truncated; those only waiting out a merge window end as they were.
     */
    public void finish(double time) {
        for (Condition c : conditions.values()) {
            c.pendingSince = null;
            if (c.active != null) {
                if (c.clearSince != null) {
                    end(c, c.clearSince, c.clearWall, false);
                } else {
                    end(c, Math.max(time, c.active.start), Instant.now(), true);
                }
            }
        }
        signalLost = false;
    }

    /** A cue goes to every output as it is. */
    @Override
    public void cue(Cue cue) {
        for (DefectListener l : listeners) {
            l.cue(cue);
        }
    }

    /** Defects raised so far, by type id, in order of first occurrence. */
    public Map<String, Integer> counts() {
        return counts;
    }

    private void raise(String key, Condition c) {
        Defect d = new Defect();
        d.id = ++seq;
        d.instanceId = instanceId;
        d.type = c.type.id();
        d.subtype = c.subtype;
        d.severity = c.type.severity(c.subtype).id();
        d.start = round(c.pendingSince);
        d.startedAt = c.pendingWall.toString();
        if (c.details != null) {
            d.details.putAll(c.details);
        }
        c.active = d;
        c.clearSince = null;
        c.pendingSince = null;
        counts.merge(d.type, 1, Integer::sum);
        Defect copy = d.copy();
        for (DefectListener l : listeners) {
            l.defectStarted(key, copy);
        }
    }

    private void end(Condition c, double time, Instant wall, boolean truncated) {
        Defect d = c.active;
        c.active = null;
        c.clearSince = null;
        d.end = round(Math.max(time, d.start));
        d.endedAt = (wall == null ? Instant.now() : wall).toString();
        if (truncated) {
            d.truncated = true;
        }
        Defect copy = d.copy();
        for (DefectListener l : listeners) {
            l.defectEnded(copy);
        }
    }

    private static double round(double t) {
        return Math.round(t * 1000) / 1000.0;
    }
}
