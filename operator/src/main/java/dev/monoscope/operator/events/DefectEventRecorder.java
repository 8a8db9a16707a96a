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
 * flapping: one {@code Flapping} Event per type replaces the stream of Events until it calms down (a later
 * flapping spell bumps its count). A defect's Events are keyed by its identity, so a defect is announced once,
 * also by an operator that restarted in between ({@link EventWriter}).
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
    /** uid/identity of defects whose start was not announced (flapping): their end is not either. */
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();

    @jakarta.inject.Inject
    public DefectEventRecorder(EventWriter writer, OperatorConfig config) {
        this(writer, config.events().flappingStartsPerMinute(), config.events().flappingWindow(), Clock.systemUTC());
    }

    DefectEventRecorder(EventWriter writer, int maxStarts, Duration window, Clock clock) {
        this.writer = writer;
        this.maxStarts = maxStarts;
        this.window = window;
        this.clock = clock;
    }

    public void record(StreamMonitor monitor, Iterable<Transition> transitions) {
        String uid = monitor.getMetadata().getUid();
        Instant now = clock.instant();
        for (Transition t : transitions) {
            Defect d = t.defect();
            String typeKey = uid + "/" + d.type;
            String defectKey = uid + "/" + t.identity();
            String reason =
                    DefectType.fromId(d.type).map(DefectType::eventReason).orElse("Defect");
            if (t.started()) {
                Deque<Instant> times = starts.computeIfAbsent(typeKey, k -> new ArrayDeque<>());
                synchronized (times) {
                    times.addLast(now);
                    prune(times, now);
                    while (times.size() > maxStarts + 1) {
                        times.removeFirst(); // one more than the limit says all there is to say
                    }
                    if (times.size() > maxStarts) {
                        silenced.add(defectKey);
                        if (flapping.add(typeKey)) {
                            writer.emit(
                                    monitor,
                                    new EventWriter.Key("Warning", REASON_FLAPPING, d.type),
                                    d.type + " started more than " + maxStarts
                                            + " times within " + window.toSeconds() + " s; further " + reason
                                            + " Events are held back until it calms down");
                        }
                        continue;
                    }
                }
                writer.emitOnce(monitor, new EventWriter.Key("Warning", reason, t.identity()), startMessage(d));
            } else if (!silenced.remove(defectKey)) {
                writer.emitOnce(monitor, new EventWriter.Key("Normal", reason, t.identity()), endMessage(d));
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

    /** How many entries are kept for this StreamMonitor: start times per type, flapping types, silenced defects. */
    public int retained(String uid) {
        String prefix = uid + "/";
        int times = starts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> {
                    synchronized (e.getValue()) {
                        return 1 + e.getValue().size();
                    }
                })
                .sum();
        return times
                + (int) flapping.stream().filter(k -> k.startsWith(prefix)).count()
                + (int) silenced.stream().filter(k -> k.startsWith(prefix)).count();
    }

    public void forget(String uid) {
        starts.keySet().removeIf(k -> k.startsWith(uid + "/"));
        flapping.removeIf(k -> k.startsWith(uid + "/"));
        silenced.removeIf(k -> k.startsWith(uid + "/"));
    }
}
