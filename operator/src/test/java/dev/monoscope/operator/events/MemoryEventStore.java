package dev.monoscope.operator.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.Map;

/** Events by name, as the API server keeps them (an existing name is refused, a missing one is 404); in memory. */
final class MemoryEventStore implements EventWriter.Store {

    final Map<String, Event> byName = new HashMap<>();

    @Override
    public boolean create(Event event) {
        return byName.putIfAbsent(event.getMetadata().getName(), event) == null;
    }

    @Override
    public Event get(String namespace, String name) {
        return byName.get(name);
    }

    @Override
    public void mergePatch(String namespace, String name, String patch) {
        Event event = byName.get(name);
        if (event == null) {
            throw new KubernetesClientException("events \"" + name + "\" not found", 404, null);
        }
        try {
            JsonNode fields = new ObjectMapper().readTree(patch);
            event.setCount(fields.path("count").asInt());
            event.setMessage(fields.path("message").asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
