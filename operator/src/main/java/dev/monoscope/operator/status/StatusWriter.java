package dev.monoscope.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a StreamMonitor's status only when what a user sees changed (compared with what was last written, not
 * with a possibly lagging cache), as an update of the status subresource, at most once per
 * {@code minWriteInterval} per StreamMonitor: a change within the interval waits and is coalesced with the next.
 * One write never waits: the one that makes the StreamMonitor Ready with every condition known (its workers have
 * reported), what {@code kubectl wait --for=condition=Ready} and a rollout wait for. It cannot make writes churn: the
 * write after it waits the whole interval again. The first status of a new StreamMonitor whose pods are on their way
 * waits up to {@code firstWriteWait} for that Ready one, so a stream that starts at once costs one write, not two.
 */
@Singleton
public class StatusWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StatusWriter.class);

    /**
     * The status last written, when, and the resourceVersions it was written on and produced: while the informer's
     * copy still carries the former, it has not seen this write yet, and the next write goes on the latter instead
     * of a certain conflict.
     */
    private record Written(JsonNode status, Instant at, String basedOn, String produced) {

        String resourceVersionAfter(StreamMonitor cached) {
            String seen = cached.getMetadata().getResourceVersion();
            return basedOn != null && basedOn.equals(seen) && produced != null ? produced : seen;
        }
    }

    /** Writes tried per status before giving up on conflicts (the reconcile is retried then). */
    static final int MAX_ATTEMPTS = 3;

    private final KubernetesClient client;
    private final ApiWrites writes;
    private final Duration minInterval;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    /** When a StreamMonitor with no status yet was first handed to {@link #write}, until its first write. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    private final Duration firstWriteWait;

    @jakarta.inject.Inject
    public StatusWriter(KubernetesClient client, ApiWrites writes, OperatorConfig config) {
        this(client, writes, config.status().minWriteInterval(), config.status().firstWriteWait());
    }

    StatusWriter(KubernetesClient client, ApiWrites writes, Duration minInterval) {
        this(client, writes, minInterval, Duration.ZERO);
    }

    StatusWriter(KubernetesClient client, ApiWrites writes, Duration minInterval, Duration firstWriteWait) {
        this.client = client;
        this.writes = writes;
        this.minInterval = minInterval;
        this.firstWriteWait = firstWriteWait;
    }

    /** The status as last written by this operator, else as the cluster has it. */
    public StreamMonitorStatus previous(StreamMonitor monitor) {
        Written w = written.get(monitor.getMetadata().getUid());
        if (w != null) {
            return JSON.convertValue(w.status, StreamMonitorStatus.class);
        }
        return monitor.getStatus();
    }

    /** Writes {@code status} if it differs from the last; returns how long to wait when the write must wait. */
    public Optional<Duration> write(StreamMonitor monitor, StreamMonitorStatus status) {
        String uid = monitor.getMetadata().getUid();
        JsonNode next = JSON.valueToTree(status);
        Written last = written.get(uid);
        JsonNode before = last != null
                ? last.status
                : monitor.getStatus() == null
                        ? JsonNodeFactory.instance.objectNode()
                        : JSON.valueToTree(monitor.getStatus());
        if (before.equals(next)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Duration> settling = firstWriteSettling(uid, monitor, next, now);
        if (settling.isPresent()) {
            return settling;
        }
        if (last != null
                && Duration.between(last.at, now).compareTo(minInterval) < 0
                && !(isReadyAndKnown(next) && !isReady(before))) {
            return Optional.of(minInterval.minus(Duration.between(last.at, now)));
        }
        LOG.debugf(
                "status of %s/%s: %s",
                monitor.getMetadata().getNamespace(), monitor.getMetadata().getName(), next);
        StreamMonitor target = new StreamMonitor();
        String resourceVersion =
                last == null ? monitor.getMetadata().getResourceVersion() : last.resourceVersionAfter(monitor);
        target.setMetadata(new ObjectMetaBuilder()
                .withNamespace(monitor.getMetadata().getNamespace())
                .withName(monitor.getMetadata().getName())
                .withResourceVersion(resourceVersion)
                .build());
        target.setSpec(monitor.getSpec());
        target.setStatus(status);
        Optional<StreamMonitor> stored = put(target, uid);
        if (stored.isEmpty()) {
            return Optional.empty(); // deleted meanwhile: nothing to write to
        }
        firstSeen.remove(uid);
        written.put(
                uid,
                new Written(
                        next,
                        now,
                        monitor.getMetadata().getResourceVersion(),
                        stored.get().getMetadata().getResourceVersion()));
        return Optional.empty();
    }

    /** How long the first status of a new StreamMonitor still waits for its workers' first report, if it waits. */
    private Optional<Duration> firstWriteSettling(String uid, StreamMonitor monitor, JsonNode next, Instant now) {
        boolean hasStatus = monitor.getStatus() != null
                && monitor.getStatus().conditions != null
                && !monitor.getStatus().conditions.isEmpty();
        if (hasStatus || written.containsKey(uid) || !progressing(next)) { // Ready is never Progressing
            return Optional.empty();
        }
        Duration waited = Duration.between(firstSeen.computeIfAbsent(uid, u -> now), now);
        return waited.compareTo(firstWriteWait) < 0 ? Optional.of(firstWriteWait.minus(waited)) : Optional.empty();
    }

    /** Whether the status says only that pods are on their way (nothing refused, nothing broken). */
    private static boolean progressing(JsonNode status) {
        return "Progressing".equals(readyCondition(status).path("reason").asText());
    }

    /**
     * PUT of the whole status (the test API server appends to lists on a merge patch) with the resourceVersion it
     * carries: a 409 means someone wrote in between, so read again and retry. Empty when the StreamMonitor is gone.
     */
    private Optional<StreamMonitor> put(StreamMonitor target, String uid) {
        for (int attempt = 1; ; attempt++) {
            try {
                writes.record(ApiVerbs.STREAM_MONITOR_STATUS, ApiVerbs.UPDATE);
                return Optional.of(client.resource(target).subresource("status").update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                StreamMonitor current = client.resources(StreamMonitor.class)
                        .inNamespace(target.getMetadata().getNamespace())
                        .withName(target.getMetadata().getName())
                        .get();
                if (current == null || !uid.equals(current.getMetadata().getUid())) {
                    return Optional.empty();
                }
                target.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            }
        }
    }

    private static boolean isReadyAndKnown(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if ("Unknown".equals(condition.path("status").asText())) {
                return false;
            }
        }
        return isReady(status);
    }

    private static boolean isReady(JsonNode status) {
        return "True".equals(readyCondition(status).path("status").asText());
    }

    /** The status's Ready condition; a missing node when it has none. */
    private static JsonNode readyCondition(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if (StreamMonitorStatus.READY.equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return MissingNode.getInstance();
    }

    /** Whether anything of this StreamMonitor is remembered. */
    public boolean remembers(String uid) {
        return written.containsKey(uid) || firstSeen.containsKey(uid);
    }

    public void forget(String uid) {
        written.remove(uid);
        firstSeen.remove(uid);
    }
}
