package dev.monoscope.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
 */
@Singleton
public class StatusWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StatusWriter.class);

    private record Written(JsonNode status, Instant at) {}

    /** Writes tried per status before giving up on conflicts (the reconcile is retried then). */
    static final int MAX_ATTEMPTS = 3;

    private final KubernetesClient client;
    private final ApiWrites writes;
    private final Duration minInterval;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public StatusWriter(KubernetesClient client, ApiWrites writes, OperatorConfig config) {
        this(client, writes, config.status().minWriteInterval());
    }

    StatusWriter(KubernetesClient client, ApiWrites writes, Duration minInterval) {
        this.client = client;
        this.writes = writes;
        this.minInterval = minInterval;
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
        if (last != null && Duration.between(last.at, now).compareTo(minInterval) < 0) {
            return Optional.of(minInterval.minus(Duration.between(last.at, now)));
        }
        LOG.debugf(
                "status of %s/%s: %s",
                monitor.getMetadata().getNamespace(), monitor.getMetadata().getName(), next);
        // PUT of the whole status (the test API server appends to lists on a merge patch), with the
        // resourceVersion this pass read: a 409 means someone wrote in between, so read again and retry.
        StreamMonitor target = new StreamMonitor();
        target.setMetadata(new ObjectMetaBuilder()
                .withNamespace(monitor.getMetadata().getNamespace())
                .withName(monitor.getMetadata().getName())
                .withResourceVersion(monitor.getMetadata().getResourceVersion())
                .build());
        target.setSpec(monitor.getSpec());
        target.setStatus(status);
        for (int attempt = 1; ; attempt++) {
            try {
                writes.record(ApiVerbs.STREAM_MONITOR_STATUS, ApiVerbs.UPDATE);
                client.resource(target).subresource("status").update();
                break;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                StreamMonitor current = client.resources(StreamMonitor.class)
                        .inNamespace(monitor.getMetadata().getNamespace())
                        .withName(monitor.getMetadata().getName())
                        .get();
                if (current == null || !uid.equals(current.getMetadata().getUid())) {
                    return Optional.empty(); // deleted meanwhile: nothing to write to
                }
                target.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            }
        }
        written.put(uid, new Written(next, now));
        return Optional.empty();
    }

    /** Whether anything of this StreamMonitor is remembered. */
    public boolean remembers(String uid) {
        return written.containsKey(uid);
    }

    public void forget(String uid) {
        written.remove(uid);
    }
}
