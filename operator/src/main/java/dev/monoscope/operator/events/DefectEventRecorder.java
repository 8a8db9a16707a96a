package dev.monoscope.operator.events;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.status.DefectLedger.Transition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for defects: one Warning when a stream-level defect starts, one Normal when it ends, with the
 * reason from DefectType ({@code BlackVideo}, …). A type that starts more than N times within a minute is
 * flapping: one {@code Flapping} Event replaces the stream of Events until it calms down. An Event repeated with
 * the same reason and message bumps the existing Event's {@code count} instead of creating another.
 */
@Singleton
public class DefectEventRecorder {

    public static final String REASON_FLAPPING = "Flapping";
    private static final Logger LOG = Logger.getLogger(DefectEventRecorder.class);

    private record Emitted(String name, int count) {
    }

    private final KubernetesClient client;
    private final ApiWrites writes;
    private final int maxStarts;
    private final Duration window;
    private final Clock clock;
    /** uid/type → start times within the window. */
    private final Map<String, Deque<Instant>> starts = new ConcurrentHashMap<>();
    /** uid/type currently flapping. */
    private final Set<String> flapping = ConcurrentHashMap.newKeySet();
    /** uid/instanceId/id of defects whose start was not announced (flapping): their end is not either. */
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    /** uid/type/reason/message → the Event created for it. */
    private final Map<String, Emitted> emitted = new ConcurrentHashMap<>();

    public DefectEventRecorder(KubernetesClient client, ApiWrites writes, OperatorConfig config) {
        this.client = client;
        this.writes = writes;
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
            String reason = DefectType.fromId(d.type).map(DefectType::eventReason).orElse("Defect");
            if (t.started()) {
                Deque<Instant> times = starts.computeIfAbsent(typeKey, k -> new ArrayDeque<>());
                synchronized (times) {
                    times.addLast(now);
                    prune(times, now);
                    if (times.size() > maxStarts) {
                        silenced.add(defectKey);
                        if (flapping.add(typeKey)) {
                            emit(monitor, "Warning", REASON_FLAPPING, d.type + " started " + times.size()
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
        return d.type + (d.subtype == null ? "" : " (" + d.subtype + ")") + " ended" + duration
                + " (worker " + d.instanceId + ", defect " + d.id + ")";
    }

    private static String seconds(Double s) {
        return s == null ? "?" : String.format(Locale.ROOT, "%.1f s", s);
    }

    void emit(StreamMonitor monitor, String type, String reason, String message) {
        String ns = monitor.getMetadata().getNamespace();
        String key = monitor.getMetadata().getUid() + "/" + type + "/" + reason + "/" + message;
        String now = clock.instant().toString();
        try {
            Emitted before = emitted.get(key);
            if (before != null) {
                int count = before.count + 1;
                writes.record(ApiVerbs.EVENTS, ApiVerbs.PATCH);
                client.v1().events().inNamespace(ns).withName(before.name).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                emitted.put(key, new Emitted(before.name, count));
                return;
            }
            String name = monitor.getMetadata().getName() + "." + UUID.randomUUID().toString().replace("-", "")
                    .substring(0, 16);
            Event event = new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(monitor.getApiVersion())
                            .withKind(monitor.getKind()).withName(monitor.getMetadata().getName()).withNamespace(ns)
                            .withUid(monitor.getMetadata().getUid()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withCount(1).withFirstTimestamp(now).withLastTimestamp(now)
                    .withNewSource().withComponent("monoscope-operator").endSource()
                    .withReportingComponent("monoscope.dev/operator")
                    .build();
            writes.record(ApiVerbs.EVENTS, ApiVerbs.CREATE);
            client.v1().events().inNamespace(ns).resource(event).create();
            emitted.put(key, new Emitted(name, 1));
        } catch (KubernetesClientException e) {
            // Events are best effort: status carries the same facts.
            LOG.warnf("could not record %s Event for %s/%s: %s", reason, ns, monitor.getMetadata().getName(),
                    e.getMessage());
        }
    }

    public void forget(String uid) {
        starts.keySet().removeIf(k -> k.startsWith(uid + "/"));
        flapping.removeIf(k -> k.startsWith(uid + "/"));
        silenced.removeIf(k -> k.startsWith(uid + "/"));
        emitted.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }
}
