package dev.monoscope.operator.events;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.ApiWrites;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Writes the Events of a StreamMonitor. An Event repeated with the same type, reason and message bumps the
 * existing Event's {@code count} and {@code lastTimestamp} instead of creating another (as kubectl shows them).
 */
@Singleton
public class EventWriter {

    private static final Logger LOG = Logger.getLogger(EventWriter.class);

    private record Emitted(String name, int count) {}

    private final KubernetesClient client;
    private final ApiWrites writes;
    private final Clock clock = Clock.systemUTC();
    /** uid/type/reason/message → the Event created for it. */
    private final Map<String, Emitted> emitted = new ConcurrentHashMap<>();

    public EventWriter(KubernetesClient client, ApiWrites writes) {
        this.client = client;
        this.writes = writes;
    }

    public void emit(StreamMonitor monitor, String type, String reason, String message) {
        String ns = monitor.getMetadata().getNamespace();
        String key = monitor.getMetadata().getUid() + "/" + type + "/" + reason + "/" + message;
        String now = clock.instant().toString();
        try {
            Emitted before = emitted.get(key);
            if (before != null) {
                int count = before.count + 1;
                writes.record(ApiVerbs.EVENTS, ApiVerbs.PATCH);
                client.v1()
                        .events()
                        .inNamespace(ns)
                        .withName(before.name)
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                emitted.put(key, new Emitted(before.name, count));
                return;
            }
            String name = monitor.getMetadata().getName() + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Event event = new EventBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(monitor.getApiVersion())
                            .withKind(monitor.getKind())
                            .withName(monitor.getMetadata().getName())
                            .withNamespace(ns)
                            .withUid(monitor.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withCount(1)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withNewSource()
                    .withComponent("monoscope-operator")
                    .endSource()
                    .withReportingComponent("monoscope.dev/operator")
                    .build();
            writes.record(ApiVerbs.EVENTS, ApiVerbs.CREATE);
            client.v1().events().inNamespace(ns).resource(event).create();
            emitted.put(key, new Emitted(name, 1));
        } catch (KubernetesClientException e) {
            // Events are best effort: status carries the same facts.
            LOG.warnf(
                    "could not record %s Event for %s/%s: %s",
                    reason, ns, monitor.getMetadata().getName(), e.getMessage());
        }
    }

    /** Whether anything of this StreamMonitor is remembered. */
    public boolean remembers(String uid) {
        return emitted.keySet().stream().anyMatch(k -> k.startsWith(uid + "/"));
    }

    public void forget(String uid) {
        emitted.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }
}
