package dev.monoscope.operator.events;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.ShortHash;
import dev.monoscope.operator.status.StatusText;
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
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Writes the Events of a StreamMonitor. What makes two Events the same is their {@link Key} (type, reason, the
 * StreamMonitor, and a series such as a defect's identity), never the message text. The Event's name derives
 * from the key, so an operator that restarted (and remembers nothing) finds the Event it wrote before instead of
 * writing a second one. {@link #emit} bumps the {@code count} of a repeated key (as kubectl shows repeats);
 * {@link #emitOnce} writes an Event whose key happens once (a defect's start or end) and keeps nothing in memory.
 */
@Singleton
public class EventWriter {

    private static final Logger LOG = Logger.getLogger(EventWriter.class);

    /**
     * The identity of an Event of one StreamMonitor.
     *
     * @param series what tells Events of the same type and reason apart ("" for none): a defect's identity, a
     *     defect type, a shard; it must come from a bounded set unless the Event is written with emitOnce
     */
    public record Key(String type, String reason, String series) {}

    private record Emitted(String name, int count) {}

    /** Where Events are written: the API server (a test keeps them in memory). */
    interface Store {
        /** False when an Event of that name exists. */
        boolean create(Event event);

        Event get(String namespace, String name);

        void mergePatch(String namespace, String name, String patch);
    }

    private final Store store;
    private final ApiWrites writes;
    private final Clock clock = Clock.systemUTC();
    /** uid/key → the Event written for a repeatable key, so that a repeat bumps its count. */
    private final Map<String, Emitted> emitted = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public EventWriter(KubernetesClient client, ApiWrites writes) {
        this(new ApiStore(client), writes);
    }

    EventWriter(Store store, ApiWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    /** An Event whose key may repeat: the first creates it, each repeat bumps its count and takes the message. */
    public void emit(StreamMonitor monitor, Key key, String message) {
        String memory = memoryKey(monitor, key);
        String ns = monitor.getMetadata().getNamespace();
        try {
            Emitted before = emitted.get(memory);
            if (before == null) {
                if (create(monitor, key, message)) {
                    emitted.put(memory, new Emitted(eventName(monitor, key), 1));
                    return;
                }
                // Written before this process started: continue its count.
                Event existing = store.get(ns, eventName(monitor, key));
                int count = existing == null || existing.getCount() == null ? 1 : existing.getCount();
                before = new Emitted(eventName(monitor, key), count);
            }
            int count = before.count + 1;
            writes.record(ApiVerbs.EVENTS, ApiVerbs.PATCH);
            try {
                store.mergePatch(ns, before.name, bump(count, message));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                // The Event expired (the API server keeps Events for an hour): this one starts a new count.
                emitted.remove(memory);
                if (create(monitor, key, message)) {
                    emitted.put(memory, new Emitted(before.name, 1));
                }
                return;
            }
            emitted.put(memory, new Emitted(before.name, count));
        } catch (KubernetesClientException e) {
            failed(monitor, key, e);
        }
    }

    /** An Event whose key happens once; one that exists already (written before a restart) is left as it is. */
    public void emitOnce(StreamMonitor monitor, Key key, String message) {
        try {
            create(monitor, key, message);
        } catch (KubernetesClientException e) {
            failed(monitor, key, e);
        }
    }

    /** Creates the Event of {@code key}; false when it exists already. */
    private boolean create(StreamMonitor monitor, Key key, String message) {
        String ns = monitor.getMetadata().getNamespace();
        String now = clock.instant().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(eventName(monitor, key))
                .withNamespace(ns)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(monitor.getApiVersion())
                        .withKind(monitor.getKind())
                        .withName(monitor.getMetadata().getName())
                        .withNamespace(ns)
                        .withUid(monitor.getMetadata().getUid())
                        .build())
                .withType(key.type())
                .withReason(key.reason())
                .withMessage(StatusText.bounded(message))
                .withCount(1)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withNewSource()
                .withComponent("monoscope-operator")
                .endSource()
                .withReportingComponent("monoscope.dev/operator")
                .build();
        writes.record(ApiVerbs.EVENTS, ApiVerbs.CREATE);
        return store.create(event);
    }

    private String bump(int count, String message) {
        return "{\"count\":" + count + ",\"lastTimestamp\":\"" + clock.instant() + "\",\"message\":"
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(StatusText.bounded(message)) + "}";
    }

    private static void failed(StreamMonitor monitor, Key key, KubernetesClientException e) {
        // Events are best effort: status carries the same facts.
        LOG.warnf(
                "could not record %s Event for %s/%s: %s",
                key.reason(),
                monitor.getMetadata().getNamespace(),
                monitor.getMetadata().getName(),
                e.getMessage());
    }

    /** {@code <name>.<16 hex digits of the key>}: the same key of the same StreamMonitor, the same Event. */
    static String eventName(StreamMonitor monitor, Key key) {
        return monitor.getMetadata().getName() + "." + ShortHash.of(memoryKey(monitor, key));
    }

    private static String memoryKey(StreamMonitor monitor, Key key) {
        return monitor.getMetadata().getUid() + "/" + key.type() + "/" + key.reason() + "/" + key.series();
    }

    /** How many entries are kept for this StreamMonitor (bounded by its repeatable keys). */
    public int retained(String uid) {
        return (int)
                emitted.keySet().stream().filter(k -> k.startsWith(uid + "/")).count();
    }

    public void forget(String uid) {
        emitted.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }

    private record ApiStore(KubernetesClient client) implements Store {

        @Override
        public boolean create(Event event) {
            try {
                client.v1()
                        .events()
                        .inNamespace(event.getMetadata().getNamespace())
                        .resource(event)
                        .create();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        public Event get(String namespace, String name) {
            return client.v1().events().inNamespace(namespace).withName(name).get();
        }

        @Override
        public void mergePatch(String namespace, String name, String patch) {
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        }
    }
}
