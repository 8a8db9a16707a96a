package dev.monoscope.operator.events;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.status.DefectLedger.Transition;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes Events for defects: one Warning when a stream-level defect starts, one Normal when it ends, with the
 * reason from DefectType ({@code BlackVideo}, …). A type that starts more than N times within a minute is
 * flapping: one {@code Flapping} Event replaces the stream of Events until it calms down. Repeats bump the
 * existing Event's {@code count} ({@link EventWriter}).
 */
@Singleton
public class DefectEventRecorder {

    public static final String REASON_FLAPPING = "Flapping";

    private final EventWriter writer;
    private final int maxStarts;
    private final Duration window;
    private final Clock clock;
    /** uid/type → start times within the window. */
    private final Map<String, Deque<Instant>> starts = new ConcurrentHashMap<>();
    /** uid/type currently flapping. */
    private final Set<String> flapping = ConcurrentHashMap.newKeySet();
    /** uid/instanceId/id of defects whose start was not announced (flapping): their end is not either. */
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();

    public DefectEventRecorder(EventWriter writer, OperatorConfig config) {
        this.writer = writer;
        this.maxStarts = config.events().flappingStartsPerMinute();
        this.window = config.events().flappingWindow();
        this.clock = Clock.systemUTC();
    }

    public void record(StreamMonitor monitor, Iterable<Transition> transitions) {
        String uid = monitor.getMetadata().getUid();
        Instant now = clock.instant();
        for (Transition t : transitions) {
            Defect d = t.defect();
            String typeKey = uid + "/" + d.type;
            String defectKey = uid + "/" + d.instanceId + "/" + d.id;
            String reason =
                    DefectType.fromId(d.type).map(DefectType::eventReason).orElse("Defect");
            if (t.started()) {
                Deque<Instant> times = starts.computeIfAbsent(typeKey, k -> new ArrayDeque<>());
                synchronized (times) {
                    times.addLast(now);
                    prune(times, now);
                    if (times.size() > maxStarts) {
                        silenced.add(defectKey);
                        if (flapping.add(typeKey)) {
                            emit(
                                    monitor,
                                    "Warning",
                                    REASON_FLAPPING,
                                    d.type + " started " + times.size()
                                            + " times within " + window.toSeconds() + " s; further " + reason
                                            + " Events are held back until it calms down");
                        }
                        continue;
                    }
                }
                emit(monitor, "Warning", reason, startMessage(d));
            } else if (!silenced.remove(defectKey)) {
                emit(monitor, "Normal", reason, endMessage(d));
            }
        }
    }

    /** The defect types of a stream that are flapping now (also ends flapping that has calmed down). */
    public Set<String> flapping(StreamMonitor monitor) {
        String prefix = monitor.getMetadata().getUid() + "/";
        Instant now = clock.instant();
        Set<String> types = new TreeSet<>();
        for (String key : flapping) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            Deque<Instant> times = starts.get(key);
            boolean still;
            synchronized (times) {
                prune(times, now);
                still = times.size() > maxStarts;
            }
            if (still) {
                types.add(key.substring(prefix.length()));
            } else {
                flapping.remove(key);
            }
        }
        return types;
    }

    /** When flapping may end, so the condition can be looked at again. */
    public Duration flappingWindow() {
        return window;
    }

    private void prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(window))) {
            times.removeFirst();
        }
    }

    private static String startMessage(Defect d) {
        return d.type + (d.subtype == null ? "" : " (" + d.subtype + ")") + " started at " + seconds(d.start)
                + " on the media clock (worker " + d.instanceId + ", defect " + d.id + ")";
    }

    private static String endMessage(Defect d) {
        String duration = d.start != null && d.end != null ? " after " + seconds(d.end - d.start) : "";
        return d.type + (d.subtype == null ? "" : " (" + d.subtype + ")") + " ended" + duration + " (worker "
                + d.instanceId + ", defect " + d.id + ")";
    }

    private static String seconds(Double s) {
        return s == null ? "?" : String.format(Locale.ROOT, "%.1f s", s);
    }

    void emit(StreamMonitor monitor, String type, String reason, String message) {
        writer.emit(monitor, type, reason, message);
    }

    /** Whether anything of this StreamMonitor is remembered. */
    public boolean remembers(String uid) {
        String prefix = uid + "/";
        return starts.keySet().stream().anyMatch(k -> k.startsWith(prefix))
                || flapping.stream().anyMatch(k -> k.startsWith(prefix))
                || silenced.stream().anyMatch(k -> k.startsWith(prefix));
    }

    public void forget(String uid) {
        starts.keySet().removeIf(k -> k.startsWith(uid + "/"));
        flapping.removeIf(k -> k.startsWith(uid + "/"));
        silenced.removeIf(k -> k.startsWith(uid + "/"));
    }
}
