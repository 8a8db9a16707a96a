package dev.monoscope.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** metav1.Condition lists: lastTransitionTime moves only when a condition's status flips. */
final class Conditions {

    static final String TRUE = "True";
    static final String FALSE = "False";
    static final String UNKNOWN = "Unknown";

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final Long generation;
    private final Instant now;

    Conditions(List<Condition> previous, Long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now;
    }

    Conditions set(String type, String status, String reason, String message) {
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(now.toString());
        next.add(new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return this;
    }

    List<Condition> list() {
        return next;
    }
}
