package dev.monoscope.operator.status;

import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Turns the shards' reports of one stream into stream-level defects: one per type and subtype (shards that all
 * see the same signal loss give one defect), each started and ended exactly once, and the cumulative
 * {@code defectCounts}, which survive worker restarts (a new instanceId starts its ids from 1 again). After an
 * operator restart the ledger starts from what the status says, so nothing is counted or announced twice.
 */
@Singleton
public class DefectLedger {

    /**
     * A defect that started or ended on the stream.
     *
     * @param identity the same for a defect's start and its end, also after an operator restart (the instance
     *     and id of the shard defect first seen): one Event per continuous defect is keyed by it
     */
    public record Transition(boolean started, Defect defect, String identity) {}

    /** The ledger's view of one stream after an update. */
    public record View(List<Defect> active, Map<String, Long> counts, Defect last, List<Transition> transitions) {}

    /** One stream-level defect and the shard defects (instanceId/id) it stands for. */
    private static final class StreamDefect {
        final String type;
        final String subtype;
        final String identity;
        final Map<String, Defect> members = new LinkedHashMap<>();
        Defect shown;

        StreamDefect(Defect first) {
            type = first.type;
            subtype = first.subtype;
            identity = key(first);
            shown = first;
            members.put(key(first), first);
        }

        boolean matches(Defect d) {
            return Objects.equals(type, d.type) && Objects.equals(subtype, d.subtype);
        }
    }

    private static final class StreamState {
        /** instanceId → the highest defect id seen from it; only instances that still report are kept. */
        final Map<String, Long> highestSeen = new HashMap<>();

        final List<StreamDefect> active = new ArrayList<>();
        final Map<String, Long> counts = new LinkedHashMap<>();
        Defect last;
    }

    private final Map<String, StreamState> streams = new ConcurrentHashMap<>();

    /**
     * @param previous the status last written, to start from after an operator restart
     * @param reports the reports of the stream's pods that have one
     * @param allReported whether every pod that should report has; only then is a silent instance gone for good
     */
    public View update(
            String uid, StreamMonitorStatus previous, List<WorkerReport> reports, boolean allReported, Instant now) {
        StreamState stream = streams.computeIfAbsent(uid, k -> seed(previous));
        synchronized (stream) {
            List<Transition> transitions = new ArrayList<>();
            Map<String, WorkerReport> byInstance = new LinkedHashMap<>();
            for (WorkerReport r : reports) {
                if (r.instanceId != null) {
                    byInstance.put(r.instanceId, r);
                }
            }
            // Ends first, so that a defect that follows an ended one of the same type within one update is a
            // defect of its own, not a continuation; and again after the starts, for defects that came and went.
            endGone(stream, byInstance, allReported, now, transitions);
            for (WorkerReport r : byInstance.values()) {
                startFresh(stream, r, transitions);
            }
            for (WorkerReport r : byInstance.values()) {
                rejoinKnown(stream, r);
            }
            endGone(stream, byInstance, allReported, now, transitions);
            if (allReported) {
                // A worker instance that no longer reports never comes back (a restart is a new instance).
                stream.highestSeen.keySet().retainAll(byInstance.keySet());
            }
            List<Defect> active = stream.active.stream()
                    .map(s -> s.shown.copy())
                    .sorted(Comparator.comparing((Defect d) -> d.startedAt == null ? "" : d.startedAt))
                    .toList();
            return new View(
                    active,
                    new LinkedHashMap<>(stream.counts),
                    stream.last == null ? null : stream.last.copy(),
                    transitions);
        }
    }

    /** New defects of one worker, in the order it issued them: each starts a stream defect or joins one. */
    private static void startFresh(StreamState stream, WorkerReport r, List<Transition> transitions) {
        long seen = stream.highestSeen.getOrDefault(r.instanceId, 0L);
        List<Defect> fresh = Stream.concat(list(r.recentDefects).stream(), list(r.activeDefects).stream())
                .filter(d -> d.id != null && d.id > seen)
                .sorted(Comparator.comparing(d -> d.id))
                .map(d -> withInstance(d, r.instanceId))
                .toList();
        long highest = Math.max(seen, r.defectSeq);
        for (Defect d : fresh) {
            highest = Math.max(highest, d.id);
            StreamDefect joined = find(stream, d);
            if (joined != null) {
                joined.members.put(key(d), d);
            } else {
                StreamDefect started = new StreamDefect(d);
                stream.active.add(started);
                stream.counts.merge(d.type, 1L, Long::sum);
                stream.last = d;
                transitions.add(new Transition(true, d, started.identity));
            }
        }
        stream.highestSeen.put(r.instanceId, highest);
    }

    /** Active defects known from before an operator restart: rejoin silently. */
    private static void rejoinKnown(StreamState stream, WorkerReport r) {
        for (Defect d : list(r.activeDefects)) {
            Defect mine = withInstance(d, r.instanceId);
            if (stream.active.stream().noneMatch(s -> s.members.containsKey(key(mine)))) {
                StreamDefect joined = find(stream, mine);
                if (joined != null) {
                    joined.members.put(key(mine), mine);
                } else {
                    stream.active.add(new StreamDefect(mine));
                }
            }
        }
    }

    /** A member ends when its worker no longer lists it as active, or when its worker is gone. */
    private static void endGone(
            StreamState stream,
            Map<String, WorkerReport> byInstance,
            boolean allReported,
            Instant now,
            List<Transition> transitions) {
        for (var it = stream.active.iterator(); it.hasNext(); ) {
            StreamDefect sd = it.next();
            Defect lastEnded = null;
            for (var m = sd.members.entrySet().iterator(); m.hasNext(); ) {
                Map.Entry<String, Defect> member = m.next();
                Defect d = member.getValue();
                WorkerReport r = byInstance.get(d.instanceId);
                Optional<Defect> stillActive = r == null ? Optional.empty() : byId(r.activeDefects, d.id);
                if (stillActive.isPresent()) {
                    member.setValue(withInstance(stillActive.get(), r.instanceId));
                } else if (r != null) {
                    lastEnded = byId(r.recentDefects, d.id)
                            .map(e -> withInstance(e, r.instanceId))
                            .orElse(ended(d, now));
                    m.remove();
                } else if (allReported) {
                    lastEnded = ended(d, now);
                    m.remove();
                }
            }
            if (sd.members.isEmpty()) {
                it.remove();
                transitions.add(
                        new Transition(false, lastEnded == null ? ended(sd.shown, now) : lastEnded, sd.identity));
            } else {
                sd.shown = sd.members.values().stream()
                        .min(Comparator.comparing((Defect d) -> d.startedAt == null ? "" : d.startedAt)
                                .thenComparing(d -> d.start == null ? 0 : d.start))
                        .orElseThrow();
            }
        }
    }

    private static Optional<Defect> byId(List<Defect> defects, Long id) {
        return list(defects).stream().filter(d -> Objects.equals(d.id, id)).findFirst();
    }

    /** How many entries are kept for this StreamMonitor: instances, active defects and their members, types. */
    public int retained(String uid) {
        StreamState stream = streams.get(uid);
        if (stream == null) {
            return 0;
        }
        synchronized (stream) {
            return 1
                    + stream.highestSeen.size()
                    + stream.counts.size()
                    + stream.active.stream().mapToInt(s -> 1 + s.members.size()).sum();
        }
    }

    public void forget(String uid) {
        streams.remove(uid);
    }

    private static StreamState seed(StreamMonitorStatus previous) {
        StreamState stream = new StreamState();
        if (previous == null) {
            return stream;
        }
        if (previous.defectCounts != null) {
            stream.counts.putAll(previous.defectCounts);
        }
        stream.last = previous.lastDefect;
        List<Defect> known = new ArrayList<>(list(previous.activeDefects));
        if (previous.lastDefect != null) {
            known.add(previous.lastDefect);
        }
        for (Defect d : known) {
            if (d.instanceId != null && d.id != null) {
                stream.highestSeen.merge(d.instanceId, d.id, Math::max);
            }
        }
        for (Defect d : list(previous.activeDefects)) {
            if (d.instanceId != null && d.id != null && find(stream, d) == null) {
                stream.active.add(new StreamDefect(d));
            }
        }
        return stream;
    }

    private static StreamDefect find(StreamState stream, Defect d) {
        return stream.active.stream().filter(s -> s.matches(d)).findFirst().orElse(null);
    }

    private static Defect withInstance(Defect d, String instanceId) {
        Defect c = d.copy();
        c.instanceId = instanceId;
        return c;
    }

    private static Defect ended(Defect d, Instant now) {
        Defect c = d.copy();
        if (c.endedAt == null) {
            c.endedAt = now.toString();
        }
        return c;
    }

    private static String key(Defect d) {
        return d.instanceId + "/" + d.id;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
